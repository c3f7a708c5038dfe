"""What the governors' report adds to the shared pages: its menu entries, home card and bench
rows. Its sections come from the other apps (their `report` contribution)."""

from celery.schedules import crontab

from esafety.contributions import Contribution, HomeCard, NavEntry

CONTRIBUTION = Contribution(
    app="reports",
    bench="esafety.reports.bench",
    nav=(NavEntry("School", "Governors' report", "reports:dashboard"),),
    home=(HomeCard("Governors' report", "reports/_home.html", "reports:dashboard", order=60),),
    beat={
        # Every five minutes: build the long reports whose hand-off to a worker was lost, or
        # whose worker died (each is claimed first, so two runs never build one twice).
        "reports-sweep-builds": {
            "task": "esafety.reports.tasks.sweep_report_builds",
            "schedule": 300.0,
        },
        # Every morning at 07:30: a school whose term ended in the last fortnight gets that
        # term's report built and its governors emailed a link, once per term.
        "reports-term-reports": {
            "task": "esafety.reports.tasks.send_term_reports",
            "schedule": crontab(hour=7, minute=30),
        },
    },
)
