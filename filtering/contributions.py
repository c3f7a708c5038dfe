"""What the filtering app adds to the shared pages: its menu, home cards, the section on a
filtering-breach concern's page, demo and scale data, governors' figures, digest lines, beat
entries and benchmark rows (esafety/contributions.py reads them)."""

import datetime

from celery.schedules import crontab

from esafety.contributions import (
    Contribution,
    DigestLine,
    DigestSource,
    HomeCard,
    NavEntry,
    Panel,
    holding,
)
from esafety.people.access import SchoolAccess
from esafety.people.models import Role

# The incidents category a filtering breach is logged under (its value, not an import).
FILTERING_BREACH = "filtering_breach"
READERS = (Role.ONLINE_SAFETY_LEAD, Role.HEAD, Role.DSL, Role.DEPUTY_DSL)
KEEPERS = (Role.ONLINE_SAFETY_LEAD, Role.HEAD)


def _demo(demo) -> None:
    from filtering.demo import seed_filtering

    seed_filtering(school=demo.school, people=demo.people)


def _scale(school) -> None:
    from filtering.scale import seed

    seed(school)


def _figures(*, school, start: datetime.date, end: datetime.date):
    from filtering.compliance import figures

    return figures(school=school, start=start, end=end)


def _digest(access: SchoolAccess, today: datetime.date) -> list[DigestLine]:
    from filtering.selectors import status

    lines = []
    args = (access.school.code,)
    tasks = status.open_task_count(school=access.school)
    if tasks:
        lines.append(
            DigestLine(
                f"{tasks} failed filtering check{'s' if tasks != 1 else ''} not yet resolved",
                "filtering:checks",
                args,
            )
        )
    missed = status.report_weeks(school=access.school, today=today, limit=1).missed
    if missed:
        lines.append(
            DigestLine(
                f"{missed} weekly monitoring report{'s' if missed != 1 else ''} not acknowledged",
                "filtering:reports",
                args,
            )
        )
    review = status.review_status(school=access.school, today=today)
    if review.state in ("overdue", "never"):
        lines.append(
            DigestLine("The filtering and monitoring review is overdue", "filtering:reviews", args)
        )
    return lines


def _concern_panel(access: SchoolAccess, concern) -> dict | None:
    # The concern's page has already decided that this reader may open the concern; the panel
    # adds the decisions it led to and the monitoring it came from, for those who read the
    # filtering evidence. A concern that is no filtering breach and that nothing here names
    # costs one query; any other three (four when named), whatever the concern.
    if not access.has(*READERS):
        return None
    from filtering.selectors.evidence import (
        concern_is_named,
        decisions_for_concern,
        monitoring_for_concern,
    )

    breach = getattr(concern, "category", "") == FILTERING_BREACH
    if not breach and not concern_is_named(school=access.school, concern_code=concern.code):
        return None
    decisions = decisions_for_concern(school=access.school, concern_code=concern.code)
    acks, alerts = monitoring_for_concern(school=access.school, concern_code=concern.code)
    if not (decisions or acks or alerts) and not breach:
        return None
    return {
        "decisions": decisions,
        "acks": acks,
        "alerts": alerts,
        "can_record": access.has(*KEEPERS),
    }


CONTRIBUTION = Contribution(
    app="filtering",
    bench="filtering.bench",
    report="filtering.report",
    # Governors reach the annual review (and the roles) from their home card, not the menu.
    nav=(NavEntry("Safeguarding", "Filtering and monitoring", "filtering:overview"),),
    home=(
        HomeCard(
            "Filtering and monitoring",
            "filtering/_home.html",
            "filtering:overview",
            order=35,
        ),
        HomeCard(
            "Filtering and monitoring review",
            "filtering/_home_governor.html",
            "filtering:reviews",
            when=holding(Role.GOVERNOR),
            order=20,
        ),
    ),
    panels=(Panel("incidents:concern", "filtering/_concern_panel.html", _concern_panel),),
    demo=_demo,
    scale=_scale,
    figures=_figures,
    digest=(
        DigestSource(frozenset({Role.HEAD, Role.ONLINE_SAFETY_LEAD}), _digest, per_member=False),
    ),
    beat={
        # Every day at 07:20: checks due this period, failed checks still open (weekly), the
        # annual review due, overdue or waiting for the governor. Keyed rows: each is sent once
        # per period, so a rerun the same day sends nothing.
        "filtering-reminders": {
            "task": "filtering.tasks.send_filtering_reminders",
            "schedule": crontab(hour=7, minute=20),
        },
    },
)
