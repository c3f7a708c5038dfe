from celery import shared_task

from incidents import services


@shared_task(time_limit=300, soft_time_limit=270)
def escalate_unacknowledged() -> int:
    """Escalate every concern still unacknowledged past its school's time. Idempotent."""
    sent = 0
    for concern_id in services.unacknowledged_concern_ids():
        sent += services.concern_escalate(concern_id=concern_id)
    return sent
