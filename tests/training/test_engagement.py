"""Engagement events: the page says whether this term has had its pupil lesson per year group
and this academic year its lesson from an external presenter."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PupilFactory
from training.models import EngagementEvent, EventKind
from training.selectors.engagement import engagement_status, term_of
from training.services.common import TrainingError
from training.services.events import event_record

pytestmark = pytest.mark.django_db


def _lesson(personas, day, groups, external=False):
    return event_record(
        actor=personas.online_safety_lead,
        school=personas.school,
        kind=EventKind.PUPIL_LESSON,
        held_on=day,
        topic="Passwords",
        presenter="Visitor" if external else "Teacher",
        external=external,
        year_groups=groups,
    )


def test_terms_follow_the_schools_academic_year():
    assert term_of(datetime.date(2026, 9, 1), 9).label == "Autumn term 2026/27"
    assert term_of(datetime.date(2026, 12, 31), 9).name == "Autumn"
    assert term_of(datetime.date(2027, 1, 4), 9).label == "Spring term 2026/27"
    assert term_of(datetime.date(2027, 4, 20), 9).name == "Summer"
    assert term_of(datetime.date(2027, 8, 31), 9).ends == datetime.date(2027, 8, 31)


def test_it_says_which_year_groups_have_had_this_terms_lesson(personas):
    for year in ("Year 3", "Year 4", "Year 5"):
        PupilFactory(school=personas.school, year_group=year)
    with time_machine.travel(datetime.datetime(2027, 2, 1, 12, tzinfo=datetime.UTC)):
        _lesson(personas, datetime.date(2026, 12, 1), ["Year 3", "Year 4"], external=True)
        _lesson(personas, datetime.date(2027, 1, 20), ["Year 4"])
        status = engagement_status(school=personas.school, today=datetime.date(2027, 2, 1))
    assert status.term.name == "Spring"
    assert [(y.year_group, y.lessons) for y in status.year_groups] == [
        ("Year 3", 0),
        ("Year 4", 1),
        ("Year 5", 0),
    ]
    assert status.missing == ["Year 3", "Year 5"]
    assert status.external_this_year == 1  # the autumn's counts for the academic year
    with time_machine.travel(datetime.datetime(2027, 9, 10, 12, tzinfo=datetime.UTC)):
        status = engagement_status(school=personas.school, today=datetime.date(2027, 9, 10))
    assert status.external_this_year == 0  # a new academic year


def test_a_pupil_lesson_names_its_year_groups(personas):
    with pytest.raises(ValidationError):
        _lesson(personas, datetime.date(2026, 1, 1), [])


def test_a_future_event_is_refused(personas):
    with pytest.raises(ValidationError):
        _lesson(personas, datetime.date(2099, 1, 1), ["Year 3"])


def test_staff_cannot_record_events(personas):
    with pytest.raises(TrainingError):
        event_record(
            actor=personas.staff,
            school=personas.school,
            kind=EventKind.PARENT_EVENING,
            held_on=datetime.date(2026, 1, 1),
            topic="Apps",
            presenter="Me",
        )


def test_the_form_records_a_parents_evening(personas, client_for):
    response = client_for(personas.dsl).post(
        reverse("training:event_new", args=[personas.school.code]),
        {
            "kind": EventKind.PARENT_EVENING,
            "held_on": "2026-10-01",
            "topic": "Apps and settings",
            "audience": "Parents of Year 6",
            "presenter": "Owen",
            "attendance": "23",
        },
    )
    assert response.status_code == 302
    event = EngagementEvent.objects.get()
    assert (event.attendance, event.year_groups) == (23, [])
