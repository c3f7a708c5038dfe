"""The matrix page, its filters and exports: everyone by name for the online safety lead, the
DSL and the head; the governors by name and the staff as numbers for governors; a constant
number of queries whatever the number of people."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from esafety.audit.models import AuditEvent
from esafety.people.models import Membership, Role, User
from tests.factories import PupilFactory
from training.models import EventKind, Kind, TrainingRecord
from training.selectors.matrix import build_matrix, filter_rows
from training.services.events import event_record
from training.services.records import session_record

pytestmark = pytest.mark.django_db


def _url(personas, name="matrix", query=""):
    return reverse(f"training:{name}", args=[personas.school.code]) + query


def _verified(personas, course, person, day):
    return TrainingRecord.objects.create(
        school=personas.school,
        course=course,
        person=person,
        completed_on=day,
        provider="LA",
        added_by=person,
        verified_at=timezone.now(),
        verified_by=personas.online_safety_lead,
    )


def test_the_lead_sees_everyone_by_name_with_their_states(personas, client_for, courses):
    _verified(personas, courses[Kind.INDUCTION], personas.staff, timezone.localdate())
    page = client_for(personas.online_safety_lead).get(_url(personas)).content.decode()
    for person in (personas.staff, personas.office, personas.governor, personas.head):
        assert person.full_name in page
    assert "Valid" in page and "Not held" in page
    assert personas.parent.full_name not in page


def test_it_filters_by_role_and_status(personas, client_for, courses):
    _verified(personas, courses[Kind.INDUCTION], personas.staff, timezone.localdate())
    client = client_for(personas.online_safety_lead)
    governors = client.get(_url(personas, query="?role=governors")).content.decode()
    assert personas.governor.full_name in governors
    assert personas.staff.full_name not in governors
    valid = client.get(_url(personas, query="?status=valid")).content.decode()
    assert personas.staff.full_name in valid
    assert personas.office.full_name not in valid
    # A made-up filter is ignored, not an error.
    assert client.get(_url(personas, query="?role=nobody&status=x")).status_code == 200


def test_governors_see_the_board_by_name_and_the_staff_as_numbers(personas, client_for, courses):
    _verified(personas, courses[Kind.INDUCTION], personas.staff, timezone.localdate())
    response = client_for(personas.governor).get(_url(personas))
    page = response.content.decode()
    assert personas.governor.full_name in page and personas.chair.full_name in page
    for person in (personas.staff, personas.office, personas.dsl, personas.head):
        assert person.full_name not in page
    assert 'data-testid="staff-numbers"' in page
    csv = b"".join(
        client_for(personas.governor).get(_url(personas, "matrix_csv")).streaming_content
    )
    assert personas.staff.full_name.encode() not in csv
    assert personas.governor.full_name.encode() in csv
    assert b"Staff (numbers only)" in csv


def test_the_csv_has_a_row_per_person_and_is_audited(personas, client_for, courses):
    response = client_for(personas.head).get(_url(personas, "matrix_csv", "?role=staff"))
    text = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"].startswith("attachment")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Name,Roles,Safeguarding induction")
    assert len(lines) == 1 + 6  # the six employed personas
    event = AuditEvent.objects.get(action="export.training_matrix")
    assert event.actor == personas.head


def test_the_pdf_is_a_pdf(personas, client_for, courses):
    response = client_for(personas.dsl).get(_url(personas, "matrix_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export.training_matrix_pdf").exists()


def test_a_member_of_staff_sees_their_own_row(personas, client_for, courses):
    _verified(personas, courses[Kind.INDUCTION], personas.staff, timezone.localdate())
    page = client_for(personas.staff).get(_url(personas, "mine")).content.decode()
    assert "Safeguarding induction" in page
    assert "DSL formal training" not in page  # not required of them
    assert personas.office.full_name not in page


def _grow(personas, courses, n: int) -> None:
    """n more staff and n // 4 more governors, each with a few records and an unchecked one."""
    school = personas.school
    users = User.objects.bulk_create(
        User(email=f"p{i}-{n}@oakfield.test", full_name=f"Person {i}") for i in range(n + n // 4)
    )
    Membership.objects.bulk_create(
        Membership(user=u, school=school, role=Role.STAFF if i < n else Role.GOVERNOR)
        for i, u in enumerate(users)
    )
    today = timezone.localdate()
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            school=school,
            course=courses[kind],
            person=u,
            completed_on=today - datetime.timedelta(days=30 * i),
            provider="LA",
            added_by=u,
            verified_at=timezone.now() if i else None,
            verified_by=personas.online_safety_lead if i else None,
        )
        for u in users
        for i, kind in enumerate((Kind.INDUCTION, Kind.ANNUAL_UPDATE, Kind.GOVERNORS))
    )
    session_record(
        actor=personas.online_safety_lead,
        school=school,
        course=courses[Kind.ANNUAL_UPDATE],
        held_on=today - datetime.timedelta(days=n),
        presenter="DSL",
        attendees=users[:3],
    )
    PupilFactory(school=school, year_group=f"Year {n % 6 + 1}")
    event_record(
        actor=personas.online_safety_lead,
        school=school,
        kind=EventKind.PUPIL_LESSON,
        held_on=today - datetime.timedelta(days=n % 20),
        topic="Passwords",
        presenter="Teacher",
        year_groups=[f"Year {n % 6 + 1}"],
        external=bool(n % 2),
    )


PAGES = [
    ("online_safety_lead", "matrix"),
    ("governor", "matrix"),
    ("head", "matrix_csv"),
    ("governor", "matrix_pdf"),
    ("staff", "mine"),
    ("online_safety_lead", "engagement"),
    ("online_safety_lead", "to_verify"),
    ("head", "courses"),
]


@pytest.mark.parametrize("role, page", PAGES)
def test_the_queries_do_not_grow_with_the_number_of_people(personas, client, courses, role, page):
    client.force_login(personas.for_role(role), backend="django.contrib.auth.backends.ModelBackend")
    client.get(_url(personas, page))  # the session's and the first visit's own queries
    counts = []
    for n in (4, 40):
        _grow(personas, courses, n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(personas, page))
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def _people_shown(page: str) -> list[str]:
    return re.findall(r'<tr data-person="[^"]+"><th scope="row">([^<]+)</th>', page)


def test_the_matrix_shows_a_page_of_50_with_links_to_the_next_keeping_the_filters(
    personas, client_for, courses
):
    _grow(personas, courses, 80)
    client = client_for(personas.online_safety_lead)
    first = client.get(_url(personas)).content.decode()
    everyone = [r.person.name for r in build_matrix(school=personas.school).rows]
    assert _people_shown(first) == everyone[:50]
    assert "People 1 to 50; the CSV has them all" in first
    assert 'href="?page=2"' in first
    rest = client.get(_url(personas, query="?page=2")).content.decode()
    assert _people_shown(rest) == everyone[50:100]
    last = client.get(_url(personas, query="?page=3")).content.decode()
    assert _people_shown(last) == everyone[100:]
    assert f"People 101 to {len(everyone)} of {len(everyone)}" in last
    assert "page=4" not in last and 'href="?page=2"' in last
    # A filter stays in the pager's links and the exports'; a status filter pages the matching.
    staff = client.get(_url(personas, query="?role=staff&status=missing")).content.decode()
    matching = [
        r.person.name
        for r in filter_rows(
            build_matrix(school=personas.school).rows, group="staff", state="missing"
        )
    ]
    assert _people_shown(staff) == matching[:50] and len(matching) > 50
    assert 'href="?role=staff&amp;status=missing&amp;page=2"' in staff
    assert "matrix/csv/?role=staff&amp;status=missing" in staff
    # The CSV keeps every row.
    csv = b"".join(client.get(_url(personas, "matrix_csv")).streaming_content).decode()
    assert len(csv.strip().splitlines()) == len(everyone) + 1


@pytest.mark.parametrize("query", ["", "?page=2", "?role=staff&status=missing"])
def test_a_page_of_the_matrix_asks_the_same_queries_at_two_sizes(
    personas, client_for, courses, django_assert_num_queries, query
):
    client = client_for(personas.online_safety_lead)
    _grow(personas, courses, 60)
    client.get(_url(personas, query=query))
    with django_assert_num_queries(9):
        assert client.get(_url(personas, query=query)).status_code == 200
    _grow(personas, courses, 200)
    with django_assert_num_queries(9):
        response = client.get(_url(personas, query=query))
    assert len(_people_shown(response.content.decode())) == 50


def test_the_matrix_writes_each_cell_as_the_cell_template_does():
    from django.template.loader import render_to_string

    from training.validity import Cell, State
    from training.views.matrix import cell_html

    day = datetime.date(2026, 3, 9)
    cells = [None] + [
        Cell(state, expires_on=expires, due_on=due, awaiting_check=awaiting)
        for state in State.values
        for expires, due in ((None, None), (day, None), (None, day), (day, day))
        for awaiting in (False, True)
    ]
    for cell in cells:
        assert cell_html(cell) == render_to_string("training/_cell.html", {"cell": cell}), cell
