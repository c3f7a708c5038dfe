"""Each validity model, by time travel: the matrix on different days says valid, expiring,
lapsed or not held for the same record."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from esafety.people.models import Membership
from training.models import Course, Kind, TrainingRecord, Validity
from training.selectors.matrix import build_matrix
from training.validity import State, due_date_in, expires_on

pytestmark = pytest.mark.django_db


def _record(personas, course, completed_on):
    return TrainingRecord.objects.create(
        school=personas.school,
        course=course,
        person=personas.staff,
        completed_on=completed_on,
        provider="LA",
        added_by=personas.staff,
        verified_at=timezone.now(),
        verified_by=personas.online_safety_lead,
    )


def _state_on(personas, course, when: str) -> tuple[str, datetime.date | None]:
    with time_machine.travel(datetime.datetime.fromisoformat(when + "T12:00:00+00:00")):
        matrix = build_matrix(school=personas.school, only=personas.staff)
    column = next(i for i, c in enumerate(matrix.columns) if c.key == str(course.code))
    cell = matrix.rows[0].cells[column]
    return cell.state, cell.expires_on


def test_rolling_months_run_from_the_course_day(personas, courses):
    course = courses[Kind.DSL_FORMAL]  # 24 months
    course.required_for = ["staff"]
    course.save()
    _record(personas, course, datetime.date(2024, 3, 10))
    assert _state_on(personas, course, "2026-02-01") == (State.VALID, datetime.date(2026, 3, 10))
    assert _state_on(personas, course, "2026-02-20")[0] == State.EXPIRING  # within 30 days
    assert _state_on(personas, course, "2026-03-09")[0] == State.EXPIRING
    assert _state_on(personas, course, "2026-03-10")[0] == State.EXPIRED
    assert _state_on(personas, course, "2027-01-01")[0] == State.EXPIRED


def test_once_is_due_within_days_of_starting_and_then_held_for_good(personas, induction):
    joined = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    Membership.objects.filter(user=personas.staff).update(created_at=joined)
    state, _ = _state_on(personas, induction, "2026-01-20")
    with time_machine.travel(datetime.datetime(2026, 1, 20, 12, tzinfo=datetime.UTC)):
        cell = build_matrix(school=personas.school, only=personas.staff).rows[0].cells[0]
    assert state == State.MISSING
    assert cell.due_on == datetime.date(2026, 2, 4)  # 30 days after starting
    _record(personas, induction, datetime.date(2026, 1, 25))
    assert _state_on(personas, induction, "2026-01-26") == (State.VALID, None)
    assert _state_on(personas, induction, "2036-01-26") == (State.VALID, None)


def test_per_academic_year_is_due_by_its_date_in_the_next_year(personas, courses):
    course = courses[Kind.ANNUAL_UPDATE]  # due by 31 October each academic year
    _record(personas, course, datetime.date(2025, 9, 3))  # done in 2025/26
    # Valid all of 2025/26 and into 2026/27 until 31 October 2026, not 365 days after.
    assert _state_on(personas, course, "2026-09-20") == (State.VALID, datetime.date(2026, 11, 1))
    assert _state_on(personas, course, "2026-10-15")[0] == State.EXPIRING
    assert _state_on(personas, course, "2026-10-31")[0] == State.EXPIRING
    assert _state_on(personas, course, "2026-11-01")[0] == State.EXPIRED


def test_per_academic_year_with_a_due_date_across_the_new_year(personas, courses):
    # A January deadline falls in the second calendar year of the academic year.
    course = courses[Kind.ANNUAL_UPDATE]
    course.due_month, course.due_day = 1, 31
    course.save()
    _record(personas, course, datetime.date(2026, 2, 10))  # 2025/26, after its own deadline
    assert _state_on(personas, course, "2026-12-15") == (State.VALID, datetime.date(2027, 2, 1))
    assert _state_on(personas, course, "2027-01-10")[0] == State.EXPIRING
    assert _state_on(personas, course, "2027-02-01")[0] == State.EXPIRED
    # One done in the autumn of 2025 (also 2025/26) lapses at the same time.
    assert expires_on(course, datetime.date(2025, 10, 1), 9) == datetime.date(2027, 2, 1)
    # One done in September 2026 counts for 2026/27: due by January 2028.
    assert expires_on(course, datetime.date(2026, 9, 1), 9) == datetime.date(2028, 2, 1)


def test_a_due_day_past_the_month_end_is_its_last_day():
    assert due_date_in(2027, start_month=9, due_month=2, due_day=31) == datetime.date(2028, 2, 29)


def test_an_unchecked_record_does_not_count_yet(personas, induction):
    TrainingRecord.objects.create(
        school=personas.school,
        course=induction,
        person=personas.staff,
        completed_on=timezone.localdate(),
        provider="LA",
        added_by=personas.staff,
    )
    cell = build_matrix(school=personas.school, only=personas.staff).rows[0].cells[0]
    assert cell.state == State.MISSING
    assert cell.awaiting_check


def test_a_course_the_person_is_not_required_to_hold_has_no_cell(personas, courses):
    matrix = build_matrix(school=personas.school, only=personas.staff)
    by_title = dict(zip([c.title for c in matrix.columns], matrix.rows[0].cells, strict=True))
    assert by_title["DSL formal training"] is None
    assert by_title["Safeguarding induction"] is not None
    assert Course.objects.get(kind=Kind.DSL_FORMAL).validity == Validity.ROLLING
