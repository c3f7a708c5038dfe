"""Reminders before anything lapses, through notify's keyed reminders: 30 days before, on the
day, then weekly while lapsed; new staff whose induction is due; the online safety lead's
weekly summary and the term's missing pupil lesson. A task run twice sends once."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from esafety.notify.models import Message, Reminder
from esafety.people.models import Membership
from tests.factories import PupilFactory
from training import reminders, tasks
from training.models import EventKind, Kind, TrainingRecord, TrainingSettings
from training.services.events import event_record

pytestmark = pytest.mark.django_db


def at(day: str):
    return time_machine.travel(datetime.datetime.fromisoformat(day + "T07:00:00+00:00"))


def _kinds(user) -> list[str]:
    return sorted(Reminder.objects.filter(messages__recipient=user).values_list("kind", flat=True))


@pytest.fixture
def formal(personas, courses):
    """The member of staff's 24-month course, lapsing on 10 March 2026; induction held."""
    course = courses[Kind.DSL_FORMAL]
    course.required_for = ["staff"]
    course.save()
    for c, day in ((course, datetime.date(2024, 3, 10)), (courses[Kind.INDUCTION], None)):
        TrainingRecord.objects.create(
            school=personas.school,
            course=c,
            person=personas.staff,
            completed_on=day or datetime.date(2023, 9, 1),
            provider="LA",
            added_by=personas.staff,
            verified_at=timezone.now(),
            verified_by=personas.online_safety_lead,
        )
    return course


def _expiry_kinds(user):
    return [k for k in _kinds(user) if k.startswith("training.expir")]


def test_the_person_is_reminded_before_on_the_day_and_weekly_after(personas, formal):
    send = lambda: reminders.send_person_reminders(school=personas.school)  # noqa: E731
    with at("2026-02-05"):  # 33 days before
        send()
    assert _expiry_kinds(personas.staff) == []
    with at("2026-02-08"):  # 30 days before
        send()
        send()
    assert _expiry_kinds(personas.staff) == ["training.expiring"]
    with at("2026-02-20"):
        send()
    assert _expiry_kinds(personas.staff) == ["training.expiring"]
    with at("2026-03-10"):  # the day it lapses
        send()
    assert _expiry_kinds(personas.staff) == ["training.expired", "training.expiring"]
    for day in ("2026-03-16", "2026-03-17", "2026-03-18", "2026-03-24", "2026-03-25"):
        with at(day):
            send()
    assert _expiry_kinds(personas.staff) == [
        "training.expired",
        "training.expired_weekly",
        "training.expired_weekly",
        "training.expiring",
    ]
    message = Message.objects.filter(recipient=personas.staff, subject__contains="lapses").get()
    assert "DSL formal training" in message.subject


def test_a_new_course_record_stops_the_reminders(personas, formal):
    with at("2026-03-10"):
        reminders.send_person_reminders(school=personas.school)
        TrainingRecord.objects.create(
            school=personas.school,
            course=formal,
            person=personas.staff,
            completed_on=datetime.date(2026, 3, 10),
            provider="LA",
            added_by=personas.staff,
            verified_at=timezone.now(),
            verified_by=personas.online_safety_lead,
        )
    with at("2026-03-17"):
        reminders.send_person_reminders(school=personas.school)
    assert _expiry_kinds(personas.staff) == ["training.expired"]


def test_the_task_run_twice_sends_each_reminder_once(personas, formal):
    with at("2026-02-10"):
        tasks.send_training_reminders()
        sent = Message.objects.count()
        assert sent > 0
        tasks.send_training_reminders()
        assert Message.objects.count() == sent


def test_new_staff_are_reminded_that_their_induction_is_due(personas, courses):
    # The school started with training in 2025; everyone but the office was there before.
    TrainingSettings.objects.update(created_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC))
    Membership.objects.update(created_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC))
    joined = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    Membership.objects.filter(user=personas.office).update(created_at=joined)
    with at("2026-01-06"):
        reminders.send_person_reminders(school=personas.school)
        reminders.send_person_reminders(school=personas.school)
    message = Message.objects.get(
        recipient=personas.office, reminder__kind="training.induction_due"
    )
    assert "due by 04 February 2026" in message.subject
    to_lead = Message.objects.get(
        recipient=personas.online_safety_lead, reminder__kind="training.induction_due"
    )
    assert personas.office.full_name in to_lead.body
    # Those who were there when the school started are not welcomed as new staff.
    assert Reminder.objects.filter(kind="training.induction_due").count() == 1
    # Once it is overdue, the lead's weekly summary carries it, not more emails to them.
    with at("2026-03-01"):
        reminders.send_person_reminders(school=personas.school)
    assert Message.objects.filter(recipient=personas.office).count() == 1


def test_the_online_safety_lead_gets_a_weekly_summary(personas, formal):
    with at("2026-02-09"):  # a Monday
        reminders.send_lead_reminders(school=personas.school)
    with at("2026-02-13"):
        reminders.send_lead_reminders(school=personas.school)
    with at("2026-02-16"):
        reminders.send_lead_reminders(school=personas.school)
    summaries = Message.objects.filter(reminder__kind="training.weekly_summary")
    assert [m.recipient for m in summaries] == [personas.online_safety_lead] * 2
    assert "lapsing within 30 days" in summaries.first().body


def test_the_terms_missing_pupil_lesson_goes_to_the_online_safety_lead(personas):
    PupilFactory(school=personas.school, year_group="Year 4", first_name="Ada", last_name="Zed")
    PupilFactory(school=personas.school, year_group="Year 5", first_name="Bo", last_name="Zed")
    with at("2026-11-20"):  # the autumn term: too early to warn
        reminders.send_lead_reminders(school=personas.school)
        event_record(
            actor=personas.online_safety_lead,
            school=personas.school,
            kind=EventKind.PUPIL_LESSON,
            held_on=datetime.date(2026, 11, 19),
            topic="Passwords",
            presenter="Class teacher",
            year_groups=["Year 5"],
        )
    assert not Message.objects.filter(reminder__kind="training.term_lesson_missing").exists()
    with at("2026-12-08"):  # the last four weeks of the term
        reminders.send_lead_reminders(school=personas.school)
        reminders.send_lead_reminders(school=personas.school)
    message = Message.objects.get(reminder__kind="training.term_lesson_missing")
    assert message.recipient == personas.online_safety_lead
    assert "Year 4" in message.body and "Year 5" not in message.body
    assert "Ada" not in message.body
