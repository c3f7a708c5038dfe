"""A briefing held in school is recorded once with its attendance: one record each for everyone
there, and recording it again makes none more."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from training.models import Kind, Session, TrainingRecord
from training.services.common import TrainingError
from training.services.records import session_record

pytestmark = pytest.mark.django_db


def _record(personas, course, attendees, actor=None):
    return session_record(
        actor=actor or personas.online_safety_lead,
        school=personas.school,
        course=course,
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        presenter="The DSL",
        attendees=attendees,
    )


def test_attendance_makes_one_verified_record_per_person_and_twice_makes_none_more(
    personas, courses
):
    course = courses[Kind.ANNUAL_UPDATE]
    there = [personas.staff, personas.office, personas.governor, personas.staff]
    session, made = _record(personas, course, there)
    assert made == 3
    records = TrainingRecord.objects.filter(session=session)
    assert sorted(r.person.email for r in records) == sorted(
        [personas.staff.email, personas.office.email, personas.governor.email]
    )
    assert all(r.verified_by == personas.online_safety_lead for r in records)
    again, made_again = _record(personas, course, [*there, personas.head])
    assert again == session
    assert made_again == 1  # the head, who was missed the first time
    assert TrainingRecord.objects.count() == 4
    assert Session.objects.count() == 1
    _record(personas, course, there)
    assert TrainingRecord.objects.count() == 4


def test_the_form_records_the_briefing(personas, client_for, courses):
    course = courses[Kind.ANNUAL_UPDATE]
    data = {
        "course": course.pk,
        "held_on": timezone.localdate().isoformat(),
        "presenter": "Owen",
        "attendees": [personas.staff.pk, personas.office.pk],
    }
    client = client_for(personas.online_safety_lead)
    url = reverse("training:session_new", args=[personas.school.code])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert TrainingRecord.objects.count() == 2


def test_only_the_schools_staff_and_governors_attend(personas, courses):
    with pytest.raises(ValidationError):
        _record(personas, courses[Kind.ANNUAL_UPDATE], [personas.parent])
    with pytest.raises(ValidationError):
        _record(personas, courses[Kind.ANNUAL_UPDATE], [personas.other_dsl])
    assert not TrainingRecord.objects.exists()


def test_a_member_of_staff_cannot_record_a_briefing(personas, courses):
    with pytest.raises(TrainingError):
        _record(personas, courses[Kind.ANNUAL_UPDATE], [personas.staff], actor=personas.staff)
