"""What the training app adds to the shared pages: its menu, home card, demo and scale data,
governors' figures, digest lines, beat entry and benchmark rows (esafety/contributions.py reads
them)."""

import datetime

from celery.schedules import crontab

from esafety.contributions import (
    Contribution,
    DigestLine,
    DigestSource,
    HomeCard,
    NavEntry,
)
from esafety.people.access import SchoolAccess
from esafety.people.models import Role


def _demo(demo) -> None:
    from training.demo import seed_training

    seed_training(school=demo.school, people=demo.people, pupils=demo.pupils)


def _scale(school) -> None:
    from training.scale import seed

    seed(school)


def _figures(*, school, start: datetime.date, end: datetime.date):
    from training.compliance import figures

    return figures(school=school, start=start, end=end)


def _digest_checks(access: SchoolAccess, today: datetime.date) -> list[DigestLine]:
    # The member's own: records waiting for a check, not their own (someone else checks those).
    from training.selectors.records import unverified_count

    waiting = unverified_count(access)
    if not waiting:
        return []
    return [
        DigestLine(
            f"{waiting} training record{'s' if waiting != 1 else ''} to check",
            "training:to_verify",
            (access.school.code,),
        )
    ]


def _digest_lapsed(access: SchoolAccess, today: datetime.date) -> list[DigestLine]:
    # The school's: records lapsed, the same for everyone told (asked once a school).
    from training.selectors.matrix import build_matrix

    matrix = build_matrix(school=access.school, today=today)
    lapsed = sum(c["expired"] for c in matrix.totals)
    if not lapsed:
        return []
    return [
        DigestLine(
            f"{lapsed} training record{'s have' if lapsed != 1 else ' has'} lapsed",
            "training:matrix",
            (access.school.code,),
        )
    ]


DIGEST_ROLES = frozenset({Role.ONLINE_SAFETY_LEAD, Role.DSL, Role.HEAD})


CONTRIBUTION = Contribution(
    app="training",
    bench="training.bench",
    report="training.report",
    # Two entries: the matrix page links to the engagement events, the courses and the queue,
    # so the School section stays short on a phone.
    nav=(
        NavEntry("School", "My training", "training:mine"),
        NavEntry("School", "Training matrix", "training:matrix"),
    ),
    home=(HomeCard("Training", "training/_home.html", "training:mine", order=40),),
    demo=_demo,
    scale=_scale,
    figures=_figures,
    digest=(
        DigestSource(DIGEST_ROLES, _digest_checks),
        DigestSource(DIGEST_ROLES, _digest_lapsed, per_member=False),
    ),
    beat={
        # Every day at 06:30: training reminders (30 days before a record lapses, on the day,
        # then weekly; induction due; the online safety lead's weekly summary and the term's
        # missing lessons). Keyed rows, so a second run the same day sends nothing more.
        "training-reminders": {
            "task": "training.tasks.send_training_reminders",
            "schedule": crontab(hour=6, minute=30),
        },
    },
)
