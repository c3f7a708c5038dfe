"""What the Devices app adds to the shared pages: its menu, home cards, the evidence panel on a
concern's page, demo and scale data, governors' figures, digest lines, beat entries and bench
rows (esafety/contributions.py reads it)."""

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


def _evidence_panel(access: SchoolAccess, concern) -> dict | None:
    """On a concern's page (shown only to those who may open the concern): the devices held as
    evidence for it, and the form to quarantine one. The DSL only; one query."""
    from devices.forms import EvidenceForm
    from devices.selectors.held import EVIDENCE_ROLES, evidence_for_concern
    from devices.services.evidence import link_token

    if not access.has(*EVIDENCE_ROLES):
        return None
    token = link_token(school=access.school, user=access.user, concern_code=concern.code)
    return {
        "devices": evidence_for_concern(access, concern.code),
        "form": EvidenceForm(prefix="evidence", initial={"link": token}),
    }


def _dashboard_panel(access: SchoolAccess, school) -> dict | None:
    """On the DSL's dashboard: how many devices are held as evidence, with a link to them. The
    DSL only (the same roles as the devices-held page's evidence), by the same rule as every
    other count of evidence (evidence_held_count)."""
    from devices.selectors.held import EVIDENCE_ROLES, evidence_held_count

    if not access.has(*EVIDENCE_ROLES):
        return None
    return {"held": evidence_held_count(access)}


def _demo(demo) -> None:
    from devices.demo import seed_devices

    seed_devices(school=demo.school, people=demo.people, pupils=demo.pupils)


def _scale(school) -> None:
    from devices.scale import seed

    seed(school)


def _figures(*, school, start: datetime.date, end: datetime.date):
    from devices.selectors.figures import figures

    return figures(school=school, start=start, end=end)


def _digest_office(access: SchoolAccess, today: datetime.date) -> list[DigestLine]:
    from devices.selectors.desk import reviews_due

    due = reviews_due(school=access.school, today=today)
    if not due:
        return []
    return [
        DigestLine(
            f"{due} phone exception review{'s' if due != 1 else ''} due",
            "devices:exceptions",
            (access.school.code,),
        )
    ]


def _digest_dsl(access: SchoolAccess, today: datetime.date) -> list[DigestLine]:
    from devices.selectors.held import evidence_held_count

    held = evidence_held_count(access)
    if not held:
        return []
    return [
        DigestLine(
            f"{held} device{'s' if held != 1 else ''} held as evidence",
            "devices:held",
            (access.school.code,),
        )
    ]


CONTRIBUTION = Contribution(
    app="devices",
    bench="devices.bench",
    report="devices.report",
    nav=(
        NavEntry("Pupils", "Phone hand-in desk", "devices:desk"),
        NavEntry("Pupils", "Devices held", "devices:held"),
        NavEntry("School", "School equipment", "devices:equipment"),
    ),
    home=(
        HomeCard("Phones", "devices/_home_desk.html", "devices:desk", order=25),
        HomeCard(
            "Evidence devices",
            "devices/_home_evidence.html",
            "devices:held",
            when=holding(Role.DSL),
            order=22,
        ),
    ),
    panels=(
        Panel(
            host="incidents:concern",
            template="devices/_panel_evidence.html",
            context=_evidence_panel,
        ),
        Panel(
            host="incidents:dashboard",
            template="devices/_panel_dashboard.html",
            context=_dashboard_panel,
        ),
    ),
    demo=_demo,
    scale=_scale,
    figures=_figures,
    digest=(
        DigestSource(frozenset({Role.OFFICE}), _digest_office, per_member=False),
        DigestSource(frozenset({Role.DSL}), _digest_dsl),
    ),
    beat={
        # Every ten minutes from 14:00 to 18:50: once the school's end of day has passed, phones
        # still held at the desk alert the office, once a day (a keyed reminder).
        "devices-phones-still-held": {
            "task": "devices.tasks.alert_phones_still_held",
            "schedule": crontab(hour="14-18", minute="*/10"),
        },
        # At 08:00 every day: a confiscated device held longer than the school's number of
        # days reminds the office, at most once a day per device.
        "devices-held-too-long": {
            "task": "devices.tasks.remind_devices_held_long",
            "schedule": crontab(hour=8, minute=0),
        },
        # At 15:00 every weekday: the office is reminded to delete the school cameras' images,
        # once a week until this week's deletion is confirmed.
        "devices-camera-images": {
            "task": "devices.tasks.remind_camera_wipe",
            "schedule": crontab(hour=15, minute=0, day_of_week="mon-fri"),
        },
    },
)
