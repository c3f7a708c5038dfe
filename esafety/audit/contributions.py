"""What the audit trail adds to the shared pages."""

from celery.schedules import crontab

from esafety.contributions import Contribution, HomeCard, NavEntry

CONTRIBUTION = Contribution(
    app="audit",
    bench="esafety.audit.bench",
    nav=(NavEntry("School", "Audit log", "audit:event_list"),),
    home=(HomeCard("Audit log", "audit/_home_audit.html", "audit:event_list", order=70),),
    beat={
        # Every night at 02:30: check the audit trail's hash chain of every school. A check, not
        # work owed: a run that was killed is not redelivered; the next night's checks it all.
        "audit-verify-chain": {
            "task": "esafety.audit.tasks.verify_chain",
            "schedule": crontab(hour=2, minute=30),
        },
    },
)
