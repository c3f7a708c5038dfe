from celery import shared_task

from incidents import services


@shared_task(time_limit=300, soft_time_limit=270)
def escalate_unacknowledged() -> int:
    """Escalate every concern still unacknowledged past its school's time, a batch at a time.
    Idempotent; a concern that fails is logged and tried again next minute, and the others are
    escalated all the same."""
    return services.concerns_escalate()
