from celery import shared_task

from esafety.notify import digest, outbox, services
from esafety.periodic import each


@shared_task(time_limit=60, soft_time_limit=50, acks_late=True)
def send_message(message_id: int) -> bool:
    return services.message_send(message_id=message_id)


@shared_task(time_limit=540, soft_time_limit=500)
def sweep_outbox() -> int:
    """Send everything the after-commit hand-off missed. Safe to run twice at once; a message
    that fails (beyond a refused send, which backs off by itself) waits for the next sweep."""
    return outbox.messages_send_due()


@shared_task(time_limit=540, soft_time_limit=500)
def send_daily_digests() -> int:
    """Each school's daily digest, each school on its own; a member's digest is keyed to the
    day, so beat runs this several times in the morning and a killed run is finished by the next."""
    from esafety.people.models import School

    return each(
        School.objects.order_by("id").values_list("id", flat=True),
        lambda school_id: digest.digest_send(school=School.objects.get(pk=school_id)),
        task="send_daily_digests",
        what="school",
    )
