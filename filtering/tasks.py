from celery import shared_task

from esafety.people.models import School
from esafety.periodic import each
from filtering import reminders


def _send_for_school(school_id: int) -> int:
    return reminders.send_filtering_reminders(school=School.objects.get(pk=school_id))


@shared_task(time_limit=540, soft_time_limit=500)
def send_filtering_reminders() -> int:
    """Checks due, failed checks still open, the annual review, for every school. Idempotent:
    each reminder is claimed in the Reminder log before it is sent, so a second run sends
    nothing and a run that failed for one school is finished by the next."""
    return each(
        School.objects.order_by("id").values_list("id", flat=True),
        _send_for_school,
        task="send_filtering_reminders",
        what="school",
    )
