from celery import shared_task

from consent import reminders
from esafety.people.models import School
from esafety.periodic import each


@shared_task(time_limit=540, soft_time_limit=500)
def send_consent_reminders() -> int:
    """Reminders to parents with consent decisions outstanding, for every school, each on its
    own. Idempotent: each reminder is a keyed row, claimed before it is sent."""
    return each(
        School.objects.order_by("id").values_list("id", flat=True),
        lambda school_id: reminders.send_consent_reminders(school=School.objects.get(pk=school_id)),
        task="send_consent_reminders",
        what="school",
    )
