"""Training's section of the governors' report: counts of people by course and group, the DSL's
and deputies' formal training by role, the events held; never a name, small counts suppressed
by the report, a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esafety.contributions import report_sections
from esafety.reports import periods
from esafety.reports.selectors import report_for
from training.models import EventKind, Kind, TrainingRecord
from training.report import training_section
from training.services.events import event_record

pytestmark = pytest.mark.django_db


def _record(personas, course, person, day):
    TrainingRecord.objects.create(
        school=personas.school,
        course=course,
        person=person,
        completed_on=day,
        provider="LA",
        added_by=person,
        verified_at=timezone.now(),
        verified_by=personas.head,
    )


def test_it_counts_by_course_and_group_and_names_roles_not_people(personas, courses):
    today = timezone.localdate()
    for person in (personas.staff, personas.office, personas.head):
        _record(personas, courses[Kind.INDUCTION], person, today)
    _record(personas, courses[Kind.DSL_FORMAL], personas.dsl, today - datetime.timedelta(days=30))
    event_record(
        actor=personas.head,
        school=personas.school,
        kind=EventKind.PUPIL_LESSON,
        held_on=today,
        topic="Passwords",
        presenter="Visitor",
        external=True,
        year_groups=["Year 5"],
    )
    figures = training_section(school=personas.school, start=today.replace(day=1), end=today)
    tables = {t.key: t for t in figures.tables}
    induction = next(r for r in tables["courses"].rows if r.label == "Safeguarding induction")
    assert induction.counts == (3, 0, 0, 3)  # in date, lapsing, lapsed, not held
    staff = next(r for r in tables["groups"].rows if r.label == "Staff")
    assert staff.counts == (0, 6)
    assert tables["events"].rows[0].counts == (1,)
    assert tables["external"].rows[0].counts == (1,)
    [dsl] = figures.listings
    assert [row[0] for row in dsl.rows] == ["Deputy DSL", "Designated safeguarding lead"]
    assert dsl.rows[0][1] == "Not recorded"
    text = repr(figures)
    for person in (personas.staff, personas.dsl, personas.deputy_dsl, personas.head):
        assert person.full_name not in text and person.email not in text
    # A record dated after the period's end does not count in it.
    last_month = training_section(
        school=personas.school,
        start=today - datetime.timedelta(days=90),
        end=today - datetime.timedelta(days=60),
    )
    rows = {r.label: r for r in last_month.tables[0].rows}
    assert rows["Safeguarding induction"].counts[0] == 0


def test_the_report_prints_the_section_with_small_counts_suppressed(personas, courses):
    assert "training.compliance" in {s.key for s in report_sections()}
    _record(personas, courses[Kind.INDUCTION], personas.staff, timezone.localdate())
    report = report_for(
        school=personas.school, period=periods.term_of(personas.school, timezone.localdate())
    )
    section = next(s for s in report.sections if s.key == "training.compliance")
    assert section.title == "Training and engagement"
    assert "Sam Staff" not in repr(section)


def test_the_section_runs_the_same_queries_whatever_the_size(personas, courses):
    from tests.training.test_matrix_views import _grow

    today = timezone.localdate()
    counts = []
    for n in (4, 40):
        _grow(personas, courses, n)
        with CaptureQueriesContext(connection) as queries:
            training_section(school=personas.school, start=today.replace(day=1), end=today)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
