"""The outbox's and the daily digest's beat entries."""

from celery.schedules import crontab

from esafety.contributions import Contribution

CONTRIBUTION = Contribution(
    app="notify",
    bench="esafety.notify.bench",
    beat={
        # Every minute: send any outbox message that the request's after-commit hand-off could
        # not (broker down, worker killed mid-send).
        "notify-sweep-outbox": {
            "task": "esafety.notify.tasks.sweep_outbox",
            "schedule": 60.0,
        },
        # Every ten minutes from 07:00 to 07:50: each member's daily digest (what is waiting, from
        # every app). Keyed to the day, so the first run sends it and the rest finish a run that
        # was killed or a school that failed.
        "notify-daily-digests": {
            "task": "esafety.notify.tasks.send_daily_digests",
            "schedule": crontab(hour=7, minute="*/10"),
        },
    },
)
