"""What the photo and video consent app adds to the shared pages: its menu, home cards, a link
from the pupils list, demo and scale data, governors' figures, digest lines, beat entries and
benchmark rows (esafety/contributions.py reads them)."""

import datetime

from celery.schedules import crontab

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
    from consent.demo import seed

    seed(school=demo.school, people=demo.people, pupils=demo.pupils)


def _scale(school) -> None:
    from consent.scale import seed

    seed(school)


def _figures(*, school, start: datetime.date, end: datetime.date):
    from consent.compliance import figures

    # Coverage is a state: as it stood at the period's end.
    return figures(school=school, today=end)


def _digest(access: SchoolAccess, today: datetime.date) -> list[DigestLine]:
    from consent.selectors import open_takedown_count

    n = open_takedown_count(school=access.school)
    if not n:
        return []
    return [
        DigestLine(
            f"{n} photo take-down{'s' if n != 1 else ''} still to do",
            "consent:takedowns",
            (access.school.code,),
        )
    ]


CONTRIBUTION = Contribution(
    app="consent",
    bench="consent.bench",
    report="consent.report",
    # Few entries (a menu section holds at most six): the register and the check lead to the
    # rest (lists, uses, take-downs, purposes), and the home cards to what is waiting.
    nav=(
        NavEntry("Pupils", "Photo consent", "consent:mine"),
        NavEntry("Pupils", "Photo consent register", "consent:register"),
        NavEntry("Pupils", "May we use this photo?", "consent:check"),
        NavEntry("Policies", "Photo consent figures", "consent:figures"),
    ),
    home=(
        HomeCard("Photo consent", "consent/_home_parent.html", "consent:mine", order=16),
        HomeCard("Photo take-downs", "consent/_home_takedowns.html", "consent:takedowns", order=12),
        HomeCard("Photos and videos", "consent/_home_check.html", "consent:check", order=40),
    ),
    pupil_links=(PupilLink("Photo consent", "consent:pupil"),),
    demo=_demo,
    scale=_scale,
    figures=_figures,
    digest=(DigestSource(frozenset({Role.OFFICE, Role.HEAD}), _digest, per_member=False),),
    beat={
        # Every day at 18:10: reminders to parents with consent decisions outstanding (a week
        # after they could first decide, then weekly, at most four). Each is a keyed row sent
        # once, so a second run the same week sends nothing.
        "consent-reminders": {
            "task": "consent.tasks.send_consent_reminders",
            "schedule": crontab(hour="18", minute="10"),
        },
    },
)
