from celery import shared_task

from esafety.periodic import each
from incidents import services


@shared_task(time_limit=300, soft_time_limit=270)
def escalate_unacknowledged() -> int:
    """Escalate every concern still unacknowledged past its school's time. Idempotent; a concern
    that fails is logged and tried again next minute, and the others are escalated all the same."""
    return each(
        services.unacknowledged_concern_ids(),
        lambda concern_id: services.concern_escalate(concern_id=concern_id),
        task="escalate_unacknowledged",
        what="concern",
    )
