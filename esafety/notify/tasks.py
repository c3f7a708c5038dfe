from celery import shared_task

from esafety.notify import services
from esafety.periodic import each


@shared_task(time_limit=60, soft_time_limit=50, acks_late=True)
def send_message(message_id: int) -> bool:
    return services.message_send(message_id=message_id)


@shared_task(time_limit=540, soft_time_limit=500)
def sweep_outbox() -> int:
    """Send everything the after-commit hand-off missed. Safe to run twice at once; a message
    that fails (beyond a refused send, which backs off by itself) waits for the next sweep."""
    return each(
        services.unsent_message_ids(),
        lambda message_id: services.message_send(message_id=message_id),
        task="sweep_outbox",
        what="message",
    )
