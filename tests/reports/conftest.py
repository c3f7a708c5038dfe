import datetime

import pytest
import time_machine
from django.utils import timezone

from incidents import services
from incidents.models import PupilRole
from tests.factories import PupilFactory

# The pupils the report tests log concerns about: names the report must never print.
NAMES = ("Zephyrine", "Quarterbridge", "Ottoline", "Brackenfold")


@pytest.fixture
def pupils(personas):
    return make_pupils(personas)


def make_pupils(personas):
    return [
        PupilFactory(school=personas.school, first_name="Zephyrine", last_name="Quarterbridge"),
        PupilFactory(school=personas.school, first_name="Ottoline", last_name="Brackenfold"),
    ]


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def logged(personas, pupils):
    return concern_logger(personas, pupils)


def concern_logger(personas, pupils):
    """logged(category, when, n=1, acknowledge_after=None) -> the concerns, logged at `when`
    (and acknowledged that many minutes later when asked)."""

    def _log(category, when, n=1, acknowledge_after=None, what="Unkind messages."):
        made = []
        for i in range(n):
            with time_machine.travel(when + datetime.timedelta(minutes=i), tick=False):
                concern = services.concern_log(
                    actor=personas.staff,
                    school=personas.school,
                    category=category,
                    occurred_at=when - datetime.timedelta(hours=1),
                    location="Year 5 classroom",
                    what_happened=f"{what} {pupils[i % 2].first_name} was upset.",
                    pupils=[services.InvolvedPupil(pupils[i % 2], PupilRole.AFFECTED)],
                    **({"staff": [personas.office]} if category == "staff_conduct" else {}),
                )
            if acknowledge_after is not None:
                later = when + datetime.timedelta(minutes=i + acknowledge_after)
                with time_machine.travel(later, tick=False):
                    services.concern_acknowledge(actor=personas.dsl, concern=concern)
            made.append(concern)
        return made

    return _log


@pytest.fixture
def publish_policy(personas):
    from policies.models import Audience, Kind
    from policies.services.library import policy_create
    from tests.policies.conftest import publish_version

    def _publish(title="Staff AUP", audiences=(Audience.STAFF,)):
        policy = policy_create(
            actor=personas.online_safety_lead,
            school=personas.school,
            title=title,
            kind=Kind.AUP,
            owner=personas.online_safety_lead,
            audiences=list(audiences),
            requires_acceptance=True,
        )
        return publish_version(personas, policy, "1", "Be kind online.")

    return _publish
