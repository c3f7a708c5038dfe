from celery import shared_task

from esafety.people.models import School
from esafety.periodic import each
from policies import reminders

# Each school's two kinds of reminder run apart: a failure in one leaves the other to go out.
# (Overdue reviews are a line in the daily digest: policies/contributions.py.)
KINDS = {
    "acceptance": lambda school: reminders.send_acceptance_reminders(school=school),
    "review": lambda school: reminders.send_review_reminders(school=school),
}


def _send_for_school(school_id: int) -> int:
    school = School.objects.get(pk=school_id)
    return each(
        KINDS,
        lambda kind: KINDS[kind](school),
        task="send_policy_reminders",
        what=f"school {school_id} reminder kind",
    )


@shared_task(time_limit=540, soft_time_limit=500)
def send_policy_reminders() -> int:
    """Acceptance reminders and review-due notices, for every school.
    Idempotent: every reminder is claimed in the Reminder log before it is sent, so beat runs it
    often and a run that was killed or failed for one school is finished by the next."""
    return each(
        School.objects.order_by("id").values_list("id", flat=True),
        _send_for_school,
        task="send_policy_reminders",
        what="school",
    )
