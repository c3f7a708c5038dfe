from celery import shared_task

from esafety.people.models import School
from esafety.periodic import each
from training import reminders

# Each school's two kinds run apart: a failure in one leaves the other to go out.
KINDS = {
    "person": lambda school: reminders.send_person_reminders(school=school),
    "lead": lambda school: reminders.send_lead_reminders(school=school),
}


def _send_for_school(school_id: int) -> int:
    school = School.objects.get(pk=school_id)
    return each(
        KINDS,
        lambda kind: KINDS[kind](school),
        task="send_training_reminders",
        what=f"school {school_id} reminder kind",
    )


@shared_task(time_limit=540, soft_time_limit=500)
def send_training_reminders() -> int:
    """Expiry, induction, weekly and term reminders for every school. Idempotent: every
    reminder is a keyed row, so a second run the same day sends nothing more."""
    return each(
        School.objects.order_by("id").values_list("id", flat=True),
        _send_for_school,
        task="send_training_reminders",
        what="school",
    )
