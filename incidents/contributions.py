"""What the concerns app adds to the shared pages: its menu, home cards, demo data, governors'
figures, digest lines and beat entries (esafety/contributions.py reads them)."""

import datetime

from esafety.contributions import (
    Contribution,
    DigestLine,
    DigestSource,
    HomeCard,
    NavEntry,
    PupilLink,
)
from esafety.people.access import SchoolAccess
from esafety.people.models import Role


def _demo(demo) -> None:
    from incidents.demo import seed_concerns

    seed_concerns(school=demo.school, people=demo.people, pupils=demo.pupils)


def _scale(school) -> None:
    from incidents.scale import seed

    seed(school)


def _figures(*, school, start: datetime.date, end: datetime.date):
    from incidents.compliance import figures

    return figures(school=school, start=start, end=end)


def _digest(access: SchoolAccess, today: datetime.date) -> list[DigestLine]:
    from django.utils import timezone

    from incidents import selectors

    # Counts only, over the concerns this member may open (the same selector as every page):
    # how many wait to be acknowledged, and how many of those are past their escalation time.
    counts = selectors.open_counts(access, timezone.now()).unacknowledged
    if not counts.waiting:
        return []
    overdue = f", {counts.overdue} overdue" if counts.overdue else ""
    return [
        DigestLine(
            f"{counts.waiting} concern{'s' if counts.waiting != 1 else ''} waiting to be "
            f"acknowledged{overdue}",
            "incidents:dashboard",
            (access.school.code,),
        )
    ]


CONTRIBUTION = Contribution(
    app="incidents",
    bench="incidents.bench",
    nav=(
        NavEntry("Safeguarding", "Log a concern", "incidents:new"),
        NavEntry("Safeguarding", "My concerns", "incidents:mine"),
        NavEntry("Safeguarding", "Concerns", "incidents:dashboard"),
    ),
    home=(
        HomeCard("Log a concern", "incidents/_home_log.html", "incidents:new", order=10),
        HomeCard("Concerns", "incidents/_home_concerns.html", "incidents:dashboard", order=20),
    ),
    pupil_links=(PupilLink("Chronology", "incidents:chronology"),),
    demo=_demo,
    scale=_scale,
    figures=_figures,
    report="incidents.report",
    digest=(
        DigestSource(
            frozenset({Role.DSL, Role.DEPUTY_DSL, Role.HEAD, Role.ONLINE_SAFETY_LEAD}), _digest
        ),
    ),
    beat={
        # Every minute: alert the next people on the list about concerns nobody has acknowledged
        # within the school's escalation time (shorter when a child is at immediate risk).
        "incidents-escalate-unacknowledged": {
            "task": "incidents.tasks.escalate_unacknowledged",
            "schedule": 60.0,
        },
    },
)
