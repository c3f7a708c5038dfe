import datetime

import pytest
from django.utils import timezone

from esafety.people.models import Guardian
from policies.models import ApprovedBy, Audience, Kind
from policies.services.library import (
    policy_create,
    version_approve,
    version_create,
    version_publish,
)
from tests.factories import PupilFactory, SchoolClassFactory


@pytest.fixture
def publish(personas):
    """Create a policy with one published version for the given audiences."""

    def _publish(audiences, title="Staff AUP", number="1", body="Be kind online.", **kw):
        policy = policy_create(
            actor=personas.online_safety_lead,
            school=personas.school,
            title=title,
            kind=kw.pop("kind", Kind.AUP),
            owner=personas.online_safety_lead,
            audiences=audiences,
            requires_acceptance=kw.pop("requires_acceptance", True),
        )
        return publish_version(personas, policy, number, body)

    return _publish


def publish_version(personas, policy, number, body="Text."):
    version = version_create(
        actor=personas.online_safety_lead, policy=policy, number=number, body=body
    )
    version_approve(
        actor=personas.head,
        version=version,
        approved_by_body=ApprovedBy.HEAD,
        approved_on=timezone.localdate(),
    )
    return version_publish(actor=personas.online_safety_lead, version=version)


@pytest.fixture
def children(personas):
    """Two children of the parent persona (Year 5 and Year 2) and one child of someone else."""
    a = PupilFactory(school=personas.school, first_name="Ada", year_group="Year 5")
    b = PupilFactory(school=personas.school, first_name="Ben", year_group="Year 2")
    other = PupilFactory(school=personas.school, first_name="Cleo", year_group="Year 5")
    for pupil in (a, b):
        Guardian.objects.create(pupil=pupil, email=personas.parent.email, user=personas.parent)
    return a, b, other


def teach(teacher, *pupils, name="Oak"):
    """Put the pupils in a class this member of staff teaches: only the class teacher records
    their in-class sign-off."""
    school_class = SchoolClassFactory(school=pupils[0].school, name=name, teacher=teacher)
    for pupil in pupils:
        pupil.school_class = school_class
        pupil.save(update_fields=["school_class"])
    return school_class


def error_summary(response) -> str:
    """The HTML of the page's one error summary (templates/_form_errors.html)."""
    html = response.content.decode()
    assert html.count("data-error-summary") == 1, "expected one error summary"
    start = html.rindex("<div", 0, html.index("data-error-summary"))
    return html[start : html.index("</div>", start) + len("</div>")]


PUPILS_KS2 = Audience.PUPILS_KS2
PUPILS_KS1 = Audience.PUPILS_KS1
TODAY = datetime.date.today
