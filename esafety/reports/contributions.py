"""What the governors' report adds to the shared pages: its menu entries, home card and bench
rows. Its sections come from the other apps (their `report` contribution)."""

from esafety.contributions import Contribution, HomeCard, NavEntry

CONTRIBUTION = Contribution(
    app="reports",
    bench="esafety.reports.bench",
    nav=(NavEntry("School", "Governors' report", "reports:dashboard"),),
    home=(HomeCard("Governors' report", "reports/_home.html", "reports:dashboard", order=60),),
)
