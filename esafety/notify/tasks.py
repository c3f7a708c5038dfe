from celery import shared_task

from esafety.notify import services


@shared_task(time_limit=60, soft_time_limit=50, acks_late=True)
def send_message(message_id: int) -> bool:
    return services.message_send(message_id=message_id)


@shared_task(time_limit=600, soft_time_limit=540)
def sweep_outbox() -> int:
    """Send everything the after-commit hand-off missed. Safe to run twice at once."""
    sent = 0
    for message_id in services.unsent_message_ids():
        sent += services.message_send(message_id=message_id)
    return sent
