"""What the governors' report adds to the shared pages: its menu entries, home card and bench
rows. Its sections come from the other apps (their `report` contribution)."""

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
    },
)
