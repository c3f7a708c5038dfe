from celery import shared_task

from esafety.people.models import School
from policies import reminders


@shared_task(time_limit=900, soft_time_limit=840)
def send_policy_reminders() -> int:
    """Acceptance reminders, review-due notices and the overdue digest, for every school.
    Idempotent: every reminder is claimed in the Reminder log before it is sent."""
    sent = 0
    for school in School.objects.all():
        sent += reminders.send_acceptance_reminders(school=school)
        sent += reminders.send_review_reminders(school=school)
        sent += reminders.send_overdue_digest(school=school)
    return sent
