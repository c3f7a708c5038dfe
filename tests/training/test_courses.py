"""The default catalogue a school starts with and changes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from esafety.audit.models import AuditEvent
from training.models import Course, Group, Kind, Validity
from training.services.common import TrainingError, settings_for
from training.services.courses import course_create, course_update, settings_update

pytestmark = pytest.mark.django_db

FIELDS = {
    "kind": Kind.OTHER,
    "validity": Validity.ROLLING,
    "months": 12,
    "within_days": None,
    "due_month": None,
    "due_day": None,
    "required_for": [Group.OFFICE],
    "is_active": True,
}


def test_a_school_starts_with_the_default_catalogue_once(personas):
    settings_for(school=personas.school)
    settings_for(school=personas.school)
    courses = {c.kind: c for c in Course.objects.filter(school=personas.school)}
    assert len(courses) == 7
    assert courses[Kind.INDUCTION].validity == Validity.ONCE
    assert courses[Kind.ANNUAL_UPDATE].validity == Validity.ACADEMIC_YEAR
    assert (courses[Kind.DSL_FORMAL].validity, courses[Kind.DSL_FORMAL].months) == (
        Validity.ROLLING,
        24,
    )
    assert Group.SAFEGUARDING_GOVERNOR in courses[Kind.GOVERNORS].required_for
    assert not Course.objects.filter(school=personas.other_school).exists()


def test_the_lead_adds_and_changes_a_course(personas, courses):
    course = course_create(
        actor=personas.online_safety_lead, school=personas.school, title="GDPR", **FIELDS
    )
    assert course.months == 12
    changed = course_update(
        actor=personas.head,
        course=course,
        title="GDPR",
        **{**FIELDS, "validity": Validity.ACADEMIC_YEAR, "due_month": 12, "due_day": 1},
    )
    # The months of the old model are not kept.
    assert (changed.validity, changed.months, changed.due_month) == ("academic_year", None, 12)
    assert AuditEvent.objects.filter(action__startswith="training.course_").count() == 2


def test_a_validity_model_needs_its_numbers(personas, courses):
    with pytest.raises(ValidationError) as e:
        course_create(
            actor=personas.head,
            school=personas.school,
            title="No months",
            **{**FIELDS, "months": None},
        )
    assert "months" in e.value.error_dict


def test_a_title_is_the_schools_once(personas, courses):
    with pytest.raises(ValidationError):
        course_create(
            actor=personas.head, school=personas.school, title="prevent awareness", **FIELDS
        )


def test_the_dsl_does_not_keep_the_catalogue(personas, courses):
    with pytest.raises(TrainingError):
        course_create(actor=personas.dsl, school=personas.school, title="X", **FIELDS)


def test_the_safeguarding_governor_must_be_a_governor(personas, courses):
    with pytest.raises(TrainingError):
        settings_update(
            actor=personas.head,
            school=personas.school,
            expiring_days=30,
            safeguarding_governor=personas.staff,
            read_and_sign=[],
        )
    settings_update(
        actor=personas.head,
        school=personas.school,
        expiring_days=45,
        safeguarding_governor=personas.governor,
        read_and_sign=[],
    )
    assert settings_for(school=personas.school).safeguarding_governor == personas.governor


def test_the_course_form_shows_what_is_missing(personas, client_for, courses):
    response = client_for(personas.head).post(
        reverse("training:course_new", args=[personas.school.code]),
        {"title": "Typed title", "kind": "other", "validity": "once", "required_for": ["staff"]},
    )
    assert response.status_code == 200
    assert "Within how many days" in response.content.decode()
    assert "Typed title" in response.content.decode()


def test_the_settings_page_chooses_kcsie_as_a_read_and_sign_column(personas, client_for, courses):
    from policies.models import Audience
    from policies.models import Kind as PolicyKind
    from policies.services.library import policy_create
    from tests.policies.conftest import publish_version

    policy = policy_create(
        actor=personas.online_safety_lead,
        school=personas.school,
        title="Keeping children safe in education: Part 1",
        kind=PolicyKind.OTHER,
        owner=personas.online_safety_lead,
        audiences=[Audience.STAFF],
        requires_acceptance=True,
    )
    publish_version(personas, policy, "2025")
    client = client_for(personas.online_safety_lead)
    url = reverse("training:settings", args=[personas.school.code])
    assert (
        "Keeping children safe in education: Part 1 (edition 2025)"
        in client.get(url).content.decode()
    )
    response = client.post(
        url,
        {
            "expiring_days": "30",
            "safeguarding_governor": str(personas.governor.pk),
            "read_and_sign": [str(policy.code)],
        },
    )
    assert response.status_code == 302
    settings = settings_for(school=personas.school)
    assert settings.read_and_sign == [str(policy.code)]
    matrix = client.get(reverse("training:matrix", args=[personas.school.code])).content.decode()
    assert "Keeping children safe in education: Part 1" in matrix
    assert AuditEvent.objects.filter(action="training.settings_changed").exists()
