import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esafety.settings")

app = Celery("esafety")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every minute: send any outbox message that the request's after-commit hand-off could not
    # (broker down, worker killed mid-send).
    "notify-sweep-outbox": {
        "task": "esafety.notify.tasks.sweep_outbox",
        "schedule": 60.0,
    },
    # Every two minutes: start roster imports whose hand-off to the worker was lost.
    "people-sweep-roster-imports": {
        "task": "esafety.people.tasks.sweep_roster_imports",
        "schedule": 120.0,
    },
    # Every minute: alert the next people on the list about concerns nobody has acknowledged
    # within the school's escalation time (shorter when a child is at immediate risk).
    "incidents-escalate-unacknowledged": {
        "task": "incidents.tasks.escalate_unacknowledged",
        "schedule": 60.0,
    },
    # Every ten minutes from 07:00 to 21:50: policy acceptance reminders (a week after, then
    # weekly, at most four), review-due notices to owners 30 days ahead, and the overdue-review
    # digest. Each is a keyed row sent once, so the first run of the day sends them at 07:00 and
    # the others send only what is left: a run killed mid-way, or a school that failed.
    "policies-reminders": {
        "task": "policies.tasks.send_policy_reminders",
        "schedule": crontab(hour="7-21", minute="*/10"),
    },
    # Every night at 02:30: check the audit trail's hash chain of every school. A check, not
    # work owed: a run that was killed is not redelivered; the next night's checks it all.
    "audit-verify-chain": {
        "task": "esafety.audit.tasks.verify_chain",
        "schedule": crontab(hour=2, minute=30),
    },
}
