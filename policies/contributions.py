"""What the policies app adds to the shared pages: its menu, home cards, demo data, governors'
figures, digest lines and beat entries (esafety/contributions.py reads them)."""

import datetime

from celery.schedules import crontab

from esafety.contributions import (
    AcceptedDocument,
    Contribution,
    DigestLine,
    DigestSource,
    HomeCard,
    NavEntry,
    holding,
)
from esafety.people.access import SchoolAccess
from esafety.people.models import Role


def _demo(demo) -> None:
    from policies.demo import seed_policies

    seed_policies(school=demo.school, people=demo.people, pupils=demo.pupils)


def _scale(school) -> None:
    from policies.scale import seed

    seed(school)


def _figures(*, school, start: datetime.date, end: datetime.date):
    from policies.compliance import figures

    # Policy status is a state, not a count over the period: as it stood at the period's end.
    return figures(school=school, today=end)


def _digest(access: SchoolAccess, today: datetime.date) -> list[DigestLine]:
    from policies.selectors.library import reviews

    overdue = len(reviews(school=access.school, today=today).overdue)
    if not overdue:
        return []
    return [
        DigestLine(
            f"{overdue} policy review{'s' if overdue != 1 else ''} overdue",
            "policies:library",
            (access.school.code,),
        )
    ]


def _accepted_documents(*, school) -> list[AcceptedDocument]:
    # Read-and-sign for other apps (training's KCSIE column): each published version that must
    # be accepted, and who accepted it for themselves. Two queries, whatever the school's size.
    from policies.models import Acceptance, AcceptanceKind
    from policies.selectors.library import published_versions

    versions = list(
        published_versions(school=school)
        .filter(policy__requires_acceptance=True)
        .prefetch_related("policy__applies_to")
    )
    signed: dict[int, set[int]] = {v.pk: set() for v in versions}
    for version_id, user_id in Acceptance.objects.filter(
        version__in=versions, kind=AcceptanceKind.OWN
    ).values_list("version_id", "user_id"):
        signed[version_id].add(user_id)
    return [
        AcceptedDocument(
            code=v.policy.code,
            title=v.policy.title,
            edition=v.number,
            audiences=frozenset(v.policy.audiences),
            accepted_by=frozenset(signed[v.pk]),
        )
        for v in versions
    ]


CONTRIBUTION = Contribution(
    app="policies",
    bench="policies.bench",
    nav=(
        NavEntry("Policies", "Policies", "policies:library"),
        NavEntry("Policies", "Policy figures", "policies:figures"),
        # Every member has policies to accept (staff, governors and parents have their own AUPs).
        NavEntry("Policies", "Accept policies", "policies:accept"),
        NavEntry("Policies", "Class AUP sign-off", "policies:class_signoff"),
        NavEntry("Policies", "Visitor kiosk", "policies:kiosk_links"),
    ),
    home=(
        HomeCard("Policies", "policies/_home_library.html", "policies:policy_new", order=30),
        HomeCard(
            "Agreements to co-sign",
            "policies/_home_children.html",
            "policies:accept",
            when=holding(Role.PARENT),
            order=15,
        ),
    ),
    # "You have N policies to read and accept" (policies/context_processors.py counts them).
    banners=("policies/_banner.html",),
    demo=_demo,
    scale=_scale,
    accepted_documents=_accepted_documents,
    figures=_figures,
    report="policies.report",
    digest=(
        DigestSource(frozenset({Role.HEAD, Role.ONLINE_SAFETY_LEAD}), _digest, per_member=False),
    ),
    beat={
        # Every ten minutes from 07:00 to 21:50: policy acceptance reminders (a week after, then
        # weekly, at most four) and review-due notices to owners 30 days ahead. Each is a keyed
        # row sent once, so the first run of the day sends them at 07:00 and the others send
        # only what is left: a run killed mid-way, or a school that failed.
        "policies-reminders": {
            "task": "policies.tasks.send_policy_reminders",
            "schedule": crontab(hour="7-21", minute="*/10"),
        },
    },
)
