import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esafety.audit.services import Entry, audit_record, audit_record_many
from esafety.people.models import Role
from tests.factories import MembershipFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")


def url(school, **query) -> str:
    base = reverse("audit:event_list", args=[school.code])
    if not query:
        return base
    return base + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def shown(response) -> list[str]:
    """The summaries of the events on the page, in order."""
    return re.findall(r"<td>(evt-[\w-]+)</td>", response.content.decode())


def record(personas, n: int, *, actor=None, school=None, prefix="evt", **kw) -> None:
    audit_record_many(
        actor=actor or personas.dsl,
        school=school or personas.school,
        entries=[Entry(action="test.done", summary=f"{prefix}-{i:03d}", **kw) for i in range(n)],
    )


@pytest.mark.parametrize("role", [Role.HEAD, Role.DSL])
def test_it_shows_the_log_to_the_head_and_the_dsl(personas, client_for, role):
    record(personas, 3)
    r = client_for(personas.for_role(role)).get(url(personas.school))
    assert r.status_code == 200
    assert shown(r) == ["evt-002", "evt-001", "evt-000"]  # newest first


@pytest.mark.parametrize(
    "role",
    [
        Role.STAFF,
        Role.OFFICE,
        Role.GOVERNOR,
        Role.PARENT,
        Role.DEPUTY_DSL,
        Role.ONLINE_SAFETY_LEAD,
    ],
)
def test_it_forbids_other_roles(personas, client_for, role):
    record(personas, 3)
    r = client_for(personas.for_role(role)).get(url(personas.school))
    assert r.status_code == 403
    assert b"evt-" not in r.content


def test_it_hides_the_school_from_another_schools_dsl(personas, client_for):
    record(personas, 3)
    r = client_for(personas.other_dsl).get(url(personas.school))
    assert r.status_code == 404
    assert b"evt-" not in r.content


def test_it_hides_the_school_from_someone_of_no_school(personas, client_for):
    assert client_for(personas.nobody).get(url(personas.school)).status_code == 404


def test_it_sends_anonymous_users_to_sign_in(personas, client_for):
    r = client_for(None).get(url(personas.school))
    assert r.status_code == 302
    assert r.url.startswith("/accounts/login/")


def test_it_never_shows_another_schools_events(personas, client_for):
    record(personas, 2)
    record(personas, 2, actor=personas.other_dsl, school=personas.other_school, prefix="evt-other")
    # Even when the filter names the other school's record or person.
    audit_record(
        actor=personas.other_dsl,
        school=personas.other_school,
        action="test.done",
        summary="evt-other-object",
        object_code="birchwood-record",
    )
    client = client_for(personas.dsl)
    assert shown(client.get(url(personas.school))) == ["evt-001", "evt-000"]
    # An error page shows no events either: the list itself must have loaded, empty.
    r = client.get(url(personas.school, object_code="birchwood-record"))
    assert r.status_code == 200
    assert shown(r) == []
    r = client.get(url(personas.school, person=personas.other_dsl.code))
    assert r.status_code == 200
    assert shown(r) == []
    assert b"Olga Outsider" not in r.content  # not even offered as a person to filter by


def test_it_filters_by_person(personas, client_for):
    record(personas, 2, actor=personas.office, prefix="evt-office")
    record(personas, 2, actor=personas.head, prefix="evt-head")
    r = client_for(personas.dsl).get(url(personas.school, person=personas.office.code))
    assert shown(r) == ["evt-office-001", "evt-office-000"]


def test_it_offers_everyone_but_parents_as_people_to_filter_by(personas, client_for):
    # A teacher who is also a parent at the school is still offered.
    MembershipFactory(user=personas.staff, school=personas.school, role=Role.PARENT)
    r = client_for(personas.dsl).get(url(personas.school))
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', r.content.decode())
    names = [label for _, label in options]
    assert "Sam Staff" in names
    assert "Ola Office" in names
    assert "Pat Parent" not in names
    assert "Olga Outsider" not in names


def test_it_filters_by_object_code(personas, client_for):
    record(personas, 2)
    audit_record(
        actor=personas.dsl,
        school=personas.school,
        action="invitation.created",
        summary="evt-wanted",
        object_code="wanted-code",
    )
    r = client_for(personas.dsl).get(url(personas.school, object_code="wanted-code"))
    assert shown(r) == ["evt-wanted"]
    # Each row's record links to that record's whole history.
    r = client_for(personas.dsl).get(url(personas.school))
    assert b'href="?object_code=wanted-code"' in r.content


def test_it_filters_by_the_schools_own_dates(personas, client_for):
    # 23:30 UTC on 31 May is 00:30 on 1 June in a London school (BST).
    for summary, at in [
        ("evt-may", datetime.datetime(2026, 5, 31, 12, 0, tzinfo=datetime.UTC)),
        ("evt-june-first", datetime.datetime(2026, 5, 31, 23, 30, tzinfo=datetime.UTC)),
        ("evt-june-second", datetime.datetime(2026, 6, 2, 22, 59, tzinfo=datetime.UTC)),
        ("evt-june-third", datetime.datetime(2026, 6, 2, 23, 1, tzinfo=datetime.UTC)),
    ]:
        with time_machine.travel(at, tick=False):
            audit_record(actor=personas.dsl, school=personas.school, action="t", summary=summary)
    client = client_for(personas.dsl)
    r = client.get(url(personas.school, date_from="2026-06-01", date_to="2026-06-02"))
    assert shown(r) == ["evt-june-second", "evt-june-first"]
    r = client.get(url(personas.school, date_to="2026-05-31"))
    assert shown(r) == ["evt-may"]
    r = client.get(url(personas.school, date_from="2026-06-03"))
    assert shown(r) == ["evt-june-third"]
    # Times are shown in the school's time too.
    assert b"3 Jun 2026 00:01:00" in r.content


def test_it_shows_nothing_for_a_mistaken_filter(personas, client_for):
    record(personas, 2)
    r = client_for(personas.dsl).get(
        url(personas.school, date_from="2026-06-02", date_to="2026-06-01")
    )
    assert r.status_code == 200
    assert shown(r) == []
    assert b"The end date is before the start date." in r.content


def pager_links(response) -> dict[str, str]:
    """The pager's links by their words, each its query string (unescaped)."""
    nav = response.content.decode().split('<nav aria-label="Pages">')[1].split("</nav>")[0]
    links = re.findall(r'<a class="page-link" href="\?([^"]*)">([^<]+)</a>', nav)
    return {words: query.replace("&amp;", "&") for query, words in links}


def test_it_pages_by_id_and_keeps_the_filter(personas, client_for):
    record(personas, 120, actor=personas.office, prefix="evt-office")
    record(personas, 5, actor=personas.head, prefix="evt-head")
    client = client_for(personas.dsl)
    person = f"person={personas.office.code}"
    first = client.get(url(personas.school, person=personas.office.code))
    assert shown(first) == [f"evt-office-{i:03d}" for i in range(119, 69, -1)]
    links = pager_links(first)
    assert set(links) == {"Older", "Oldest"}  # the newest page: nothing newer
    assert links["Older"].startswith(person + "&before=")
    assert links["Oldest"] == person + "&after=0"

    second = client.get("?".join([url(personas.school), links["Older"]]))
    assert shown(second) == [f"evt-office-{i:03d}" for i in range(69, 19, -1)]
    links = pager_links(second)
    assert set(links) == {"Newest", "Newer", "Older", "Oldest"}
    assert links["Newest"] == person

    # Back the way it came: the page just newer is the first page again, exactly.
    again = client.get("?".join([url(personas.school), links["Newer"]]))
    assert shown(again) == shown(first)

    oldest = client.get("?".join([url(personas.school), links["Oldest"]]))
    assert shown(oldest) == [f"evt-office-{i:03d}" for i in range(49, -1, -1)]
    links = pager_links(oldest)
    assert set(links) == {"Newest", "Newer"}
    newer = client.get("?".join([url(personas.school), links["Newer"]]))
    assert shown(newer) == [f"evt-office-{i:03d}" for i in range(99, 49, -1)]


def test_it_shows_the_newest_page_for_a_cursor_it_cannot_read(personas, client_for):
    record(personas, 3)
    r = client_for(personas.dsl).get(url(personas.school, before="soon"))
    assert r.status_code == 200
    assert shown(r) == ["evt-002", "evt-001", "evt-000"]


def test_it_runs_the_same_queries_for_10_events_as_for_200(
    personas, client_for, django_assert_num_queries
):
    client = client_for(personas.dsl)
    record(personas, 10, actor=personas.office, object_code="x")
    client.get(url(personas.school))  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as small:
        assert len(shown(client.get(url(personas.school)))) == 10
    record(personas, 190, actor=personas.head, object_code="y")
    with django_assert_num_queries(len(small)):
        r = client.get(url(personas.school))
    assert len(shown(r)) == 50
    assert r.context["page"].has_older
    # And an older page of them, found by id, the same whatever its depth.
    older = pager_links(r)["Older"]
    client.get("?".join([url(personas.school), older]))
    with CaptureQueriesContext(connection) as second:
        client.get("?".join([url(personas.school), older]))
    oldest = pager_links(r)["Oldest"]
    with django_assert_num_queries(len(second)):
        client.get("?".join([url(personas.school), oldest]))


def test_it_never_counts_the_events(personas, client_for):
    # Numbering pages counts every event of the school, which grows with its history.
    record(personas, 120, actor=personas.office)
    client = client_for(personas.dsl)
    client.get(url(personas.school))
    pages = [
        url(personas.school),
        url(personas.school, person=personas.office.code),
        url(personas.school, after=0),
        url(personas.school, before=60, date_from="2026-01-01"),
    ]
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        about_events = [q["sql"] for q in queries if '"audit_auditevent"' in q["sql"]]
        assert about_events, page
        for sql in about_events:
            assert "COUNT(" not in sql.upper(), sql
            if sql.startswith("SELECT"):
                assert "LIMIT" in sql, sql  # every read of the log stops at a page's end


def test_it_shows_members_sign_ins_but_not_outsiders(personas, client_for):
    from esafety.audit.services import audit_record

    audit_record(actor=personas.staff, school=None, action="user.signed_in", obj=personas.staff)
    audit_record(
        actor=personas.other_dsl, school=None, action="user.signed_in", obj=personas.other_dsl
    )
    r = client_for(personas.head).get(f"/s/{personas.school.code}/audit/")
    assert r.status_code == 200
    actors = {e.actor_id for e in r.context["page"] if e.action == "user.signed_in"}
    assert personas.staff.pk in actors
    assert personas.other_dsl.pk not in actors
