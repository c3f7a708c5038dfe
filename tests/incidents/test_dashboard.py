"""The DSL dashboard and its filtered list."""

import datetime
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.models import PupilRole
from tests.factories import PupilFactory


@pytest.fixture
def dashboard_url(personas) -> str:
    return reverse("incidents:dashboard", args=[personas.school.code])


@pytest.fixture
def list_url(personas) -> str:
    return reverse("incidents:dashboard_list", args=[personas.school.code])


@pytest.fixture
def all_url(personas) -> str:
    return reverse("incidents:concern_list", args=[personas.school.code])


def test_it_puts_immediate_risk_first_and_marks_overdue_concerns(
    personas, client_for, log_concern, dashboard_url
):
    school = personas.school
    school.escalation_minutes = 60
    school.immediate_risk_escalation_minutes = 10
    school.save()
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(minutes=90), tick=False):
        old = log_concern("cyberbullying")
    with time_machine.travel(start - datetime.timedelta(minutes=30), tick=False):
        recent = log_concern("online_hate")
    with time_machine.travel(start - datetime.timedelta(minutes=5), tick=False):
        urgent = log_concern("online_sexual_abuse", immediate_risk=True)
    acknowledged = log_concern("misuse")
    services.concern_acknowledge(actor=personas.dsl, concern=acknowledged)

    with time_machine.travel(start, tick=False):
        response = client_for(personas.dsl).get(dashboard_url)
    waiting = response.context["waiting"]
    assert [w.reference for w in waiting] == [c.reference for c in (urgent, old, recent)]
    assert [w.overdue for w in waiting] == [False, True, False]
    assert [w.limit for w in waiting] == [10, 60, 60]
    table = response.content.decode().split('data-testid="waiting"')[1].split("</table>")[0]
    assert table.count("Overdue") == 1
    assert table.count("Immediate risk") == 1
    assert acknowledged.reference not in table

    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        response = client_for(personas.dsl).get(dashboard_url)
    assert [w.overdue for w in response.context["waiting"]] == [True, True, False]


def test_it_puts_child_protection_before_the_rest_after_immediate_risk(
    personas, client_for, log_concern, dashboard_url
):
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(minutes=50), tick=False):
        scam = log_concern("commerce")  # the oldest, but not child protection
    with time_machine.travel(start - datetime.timedelta(minutes=40), tick=False):
        filtering = log_concern("filtering_breach")
    with time_machine.travel(start - datetime.timedelta(minutes=30), tick=False):
        bullying = log_concern("cyberbullying")
    with time_machine.travel(start - datetime.timedelta(minutes=20), tick=False):
        nudes = log_concern("nudes")
    with time_machine.travel(start - datetime.timedelta(minutes=10), tick=False):
        urgent_scam = log_concern("commerce", immediate_risk=True)
    with time_machine.travel(start, tick=False):
        waiting = client_for(personas.dsl).get(dashboard_url).context["waiting"]
    assert [w.reference for w in waiting] == [
        c.reference for c in (urgent_scam, bullying, nudes, scam, filtering)
    ]


def test_it_counts_open_concerns_by_category_and_status(
    personas, client_for, log_concern, dashboard_url
):
    log_concern("cyberbullying")
    log_concern("cyberbullying")
    worked = log_concern("cyberbullying")
    services.concern_acknowledge(actor=personas.dsl, concern=worked)
    services.concern_set_status(actor=personas.dsl, concern=worked, status="awaiting_agency")
    log_concern("misuse")
    closed = log_concern("commerce")
    services.concern_acknowledge(actor=personas.dsl, concern=closed)
    for step in closed.steps.all():
        services.step_complete(actor=personas.dsl, concern=closed, step=step, done=True)
    services.concern_close(
        actor=personas.dsl,
        concern=closed,
        outcome="Advice given.",
        lessons_learnt="None.",
        parents_informed=True,
    )

    table = client_for(personas.dsl).get(dashboard_url).context["open_table"]
    rows = {row["category"].value: row["cells"] for row in table["rows"]}
    # Columns: reported, acknowledged, in progress, awaiting outside agency.
    assert rows == {"cyberbullying": [2, 0, 0, 1], "misuse": [1, 0, 0, 0]}
    assert table["totals"] == [3, 0, 0, 1]
    assert table["total"] == 4


def test_it_shows_steps_outstanding_and_concerns_awaiting_an_agency(
    personas, client_for, log_concern, dashboard_url
):
    waiting = log_concern("commerce")
    services.concern_acknowledge(actor=personas.dsl, concern=waiting)
    services.referral_record(
        actor=personas.dsl,
        concern=waiting,
        referred=True,
        agency="police",
        referred_on=datetime.date(2026, 2, 3),
        reference="AF-1",
    )
    services.concern_set_status(actor=personas.dsl, concern=waiting, status="awaiting_agency")
    done = log_concern("misinformation")
    for step in done.steps.all():
        services.step_complete(actor=personas.dsl, concern=done, step=step, done=True)

    response = client_for(personas.dsl).get(dashboard_url)
    assert [c.reference for c in response.context["outstanding"]] == [waiting.reference]
    assert response.context["outstanding"][0].steps_open == 2
    assert response.context["outstanding_total"] == 1
    assert [c.reference for c in response.context["awaiting"]] == [waiting.reference]
    body = response.content.decode()
    assert f"{waiting.reference}</a> · Scams, gambling or commercial exploitation: 2 steps" in body
    assert "Police since 3 Feb 2026" in body


def test_it_filters_the_list_by_category_status_year_group_and_date(
    personas, client_for, log_concern, list_url
):
    year6 = PupilFactory(school=personas.school, year_group="Year 6")
    bullying = log_concern("cyberbullying")
    misuse = log_concern("misuse", pupils=[services.InvolvedPupil(year6, PupilRole.ALLEGED)])
    services.concern_acknowledge(actor=personas.dsl, concern=misuse)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=40), tick=False):
        old = log_concern("online_hate")
    client = client_for(personas.dsl)

    def listed(**params) -> list:
        return [r["code"] for r in client.get(list_url, params).context["page"].object_list]

    assert set(listed()) == {bullying.code, misuse.code, old.code}
    assert listed(category="misuse") == [misuse.code]
    assert listed(status="acknowledged") == [misuse.code]
    assert set(listed(status="open")) == {bullying.code, misuse.code, old.code}
    assert listed(year_group="Year 6") == [misuse.code]
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert set(listed(date_from=since)) == {bullying.code, misuse.code}
    assert listed(date_to=since) == [old.code]


def test_it_serves_the_list_alone_for_the_script_and_in_the_page_without_it(
    personas, client_for, log_concern, list_url, all_url, dashboard_url
):
    concern = log_concern("misuse")
    client = client_for(personas.dsl)
    fragment = client.get(list_url, {"category": "misuse"})
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert concern.reference.encode() in fragment.content
    page = client.get(all_url, {"category": "misuse"})
    assert b"<html" in page.content
    assert [r["code"] for r in page.context["page"].object_list] == [concern.code]
    assert b"js/dashboard.js" in page.content
    # The form's choices: the school's year groups on roll.
    assert ("Year 5", "Year 5") in page.context["form"].fields["year_group"].choices


def test_it_links_the_list_from_the_dashboard_and_sends_old_list_links_to_it(
    personas, client_for, log_concern, all_url, dashboard_url
):
    concern = log_concern("misuse")
    client = client_for(personas.dsl)
    dashboard = client.get(dashboard_url)
    # The dashboard names no child and lists no concern but those waiting: it is no read.
    assert "page" not in dashboard.context
    assert all_url in dashboard.content.decode()
    old = client.get(dashboard_url, {"category": "misuse", "page": "1"})
    assert old.status_code == 302
    assert old["Location"] == f"{all_url}?category=misuse&page=1"
    listed = client.get(old["Location"]).context["page"].object_list
    assert [r["code"] for r in listed] == [concern.code]


def test_it_filters_by_a_year_group_the_school_has_not_in_the_list_alone(
    personas, client_for, log_concern, list_url
):
    log_concern("misuse")
    rows = client_for(personas.dsl).get(list_url, {"year_group": "Year 13"}).context["page"]
    assert list(rows) == []


def test_it_pages_the_list_and_keeps_the_filters_in_the_page_links(
    personas, client_for, log_concern, list_url
):
    for _ in range(27):
        log_concern("misuse", pupils=[])
    log_concern("online_hate", pupils=[])
    client = client_for(personas.dsl)
    first = client.get(list_url, {"category": "misuse", "year_group": ""})
    assert len(first.context["page"].object_list) == 25
    # Numbered without counting every row: the first page knows only that more follow.
    assert first.context["page"].total is None
    assert "Concerns 1 to 25 matching the filters; more on the next page." in first.content.decode()
    assert "?category=misuse&amp;page=2" in first.content.decode()
    second = client.get(list_url, {"category": "misuse", "page": 2})
    assert len(second.context["page"].object_list) == 2
    assert second.context["page"].total == 27
    assert "27 concerns matching the filters." in second.content.decode()
    assert "page=3" not in second.content.decode()
    assert "?category=misuse&amp;page=1" in second.content.decode()
    for nonsense in ("0", "-3", "two", ""):
        assert client.get(list_url, {"page": nonsense}).context["page"].number == 1
    beyond = client.get(list_url, {"category": "misuse", "page": 9})
    assert list(beyond.context["page"]) == []


def test_it_ignores_filters_it_cannot_read(personas, client_for, log_concern, list_url):
    concern = log_concern("misuse")
    response = client_for(personas.dsl).get(list_url, {"date_from": "not a date"})
    assert [r["code"] for r in response.context["page"].object_list] == [concern.code]


def test_it_links_the_dashboard_from_the_navigation_of_those_who_work_concerns(
    personas, client_for, dashboard_url
):
    for who in ("dsl", "deputy_dsl", "head", "online_safety_lead"):
        page = client_for(getattr(personas, who)).get(
            reverse("people:school_home", args=[personas.school.code])
        )
        assert [i.label for i in page.context["nav"]].count("Concerns") == 1, who
    for who in ("staff", "office", "governor", "parent"):
        page = client_for(getattr(personas, who)).get(
            reverse("people:school_home", args=[personas.school.code])
        )
        assert page.status_code == 200, who
        assert "Concerns" not in [i.label for i in page.context["nav"]], who
        assert f'href="{dashboard_url}"' not in page.content.decode(), who


def test_it_shows_the_dsl_how_many_concerns_wait_on_the_home_page(
    personas, client_for, log_concern
):
    home = reverse("people:school_home", args=[personas.school.code])
    client = client_for(personas.dsl)
    assert "none waiting to be acknowledged" in client.get(home).content.decode()
    log_concern("cyberbullying")
    log_concern("misuse")
    # One the DSL is involved in is not theirs to see, nor to count.
    log_concern("misuse", staff=[personas.dsl])
    assert "2 waiting to be acknowledged" in client.get(home).content.decode()


# The number of queries does not grow with the number of concerns.


def make_concerns(personas, log_concern, n: int) -> None:
    # Ordered so that even 3 concerns include one awaiting an agency that the online safety
    # lead may see too: an empty list skips its prefetch, which is not what is measured.
    statuses = ["awaiting_agency", "reported", "in_progress", "acknowledged"]
    categories = ["misuse", "cyberbullying", "commerce", "filtering_breach", "online_hate"]
    for i in range(n):
        pupils = [
            services.InvolvedPupil(PupilFactory(school=personas.school), PupilRole.AFFECTED),
            services.InvolvedPupil(PupilFactory(school=personas.school), PupilRole.WITNESS),
        ]
        concern = log_concern(
            categories[i % len(categories)], pupils=pupils, immediate_risk=i % 7 == 0
        )
        status = statuses[i % len(statuses)]
        if status == "reported":
            continue
        services.concern_acknowledge(actor=personas.dsl, concern=concern)
        services.step_complete(
            actor=personas.dsl, concern=concern, step=concern.steps.first(), done=True
        )
        services.referral_record(
            actor=personas.dsl,
            concern=concern,
            referred=True,
            agency="police",
            referred_on=timezone.localdate(),
        )
        if status != "acknowledged":
            services.concern_set_status(actor=personas.dsl, concern=concern, status=status)


def count_queries(client, url: str, params: dict | None = None) -> int:
    # A first request writes the session's idle clock (once a minute): not what is measured.
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"status": "open", "year_group": "Year 5"}])
@pytest.mark.parametrize("who", ["dsl", "online_safety_lead"])
def test_it_runs_the_same_queries_for_3_concerns_as_for_30(
    personas,
    client_for,
    log_concern,
    dashboard_url,
    all_url,
    list_url,
    django_assert_num_queries,
    who,
    params,
):
    client = client_for(getattr(personas, who))
    make_concerns(personas, log_concern, 3)
    small = {url: count_queries(client, url, params) for url in (all_url, list_url)}
    small[dashboard_url] = count_queries(client, dashboard_url)
    make_concerns(personas, log_concern, 27)
    with django_assert_num_queries(small.pop(dashboard_url)):
        dashboard = client.get(dashboard_url)
    assert dashboard.context["awaiting"]
    for url, expected in small.items():
        with django_assert_num_queries(expected):
            response = client.get(url, params)
        page = response.context["page"]
        # The list really did grow: 30 concerns, a full first page of them.
        assert len(page.object_list) == 25 if who == "dsl" else len(page.object_list) >= 12


def test_it_audits_every_concern_the_list_shows(personas, client_for, log_concern, list_url):
    from esafety.audit.models import AuditEvent

    shown = [log_concern("cyberbullying"), log_concern("misinformation")]
    hidden = log_concern("staff_conduct", staff=[personas.dsl])  # about the DSL: never shown
    client_for(personas.dsl).get(list_url)
    listed = set(
        AuditEvent.objects.filter(action="concern_list.read", actor=personas.dsl).values_list(
            "object_code", flat=True
        )
    )
    assert listed == {str(c.code) for c in shown}
    assert str(hidden.code) not in listed


# Long queues: the dashboard shows the first of each, says how many there are, and links the rest.


def copies(concern, n: int, **fields) -> None:
    """`n` more concerns like `concern` in one INSERT: enough rows for a long queue, quickly.
    (The lists read the concern rows alone; the service's steps and timeline are not needed.)"""
    from incidents.models import Concern

    last = Concern.objects.filter(school=concern.school).order_by("-number").first().number
    rows = []
    for i in range(n):
        row = Concern.objects.get(pk=concern.pk)
        row.pk = None
        row.code = uuid.uuid4()
        row.number = last + 1 + i
        for name, value in fields.items():
            setattr(row, name, value)
        rows.append(row)
    Concern.objects.bulk_create(rows)
    # created_at is written as "now" on insert: the copies are as old as the concern copied.
    Concern.objects.filter(school=concern.school, number__gt=last).update(
        created_at=concern.created_at
    )


def test_it_shows_the_first_of_a_long_queue_with_how_many_wait_are_overdue_and_at_risk(
    personas, client_for, log_concern, dashboard_url, all_url
):
    school = personas.school
    school.escalation_minutes = 60
    school.immediate_risk_escalation_minutes = 10
    school.save()
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(minutes=90), tick=False):
        old = log_concern("misuse")
    with time_machine.travel(start - datetime.timedelta(minutes=20), tick=False):
        recent = log_concern("misuse")
        urgent = log_concern("misuse", immediate_risk=True)
    copies(old, 14)  # 15 overdue
    copies(recent, 9)  # 10 not yet
    copies(urgent, 2)  # 3 at immediate risk, overdue after 10 minutes

    with time_machine.travel(start, tick=False):
        response = client_for(personas.dsl).get(dashboard_url)
    waiting = response.context["waiting"]
    assert len(waiting) == 15
    assert [w.immediate_risk for w in waiting[:4]] == [True, True, True, False]
    counts = response.context["waiting_counts"]
    assert (counts.waiting, counts.overdue, counts.immediate_risk) == (28, 18, 3)
    body = response.content.decode()
    summary = body.split('data-testid="waiting-counts">')[1].split("</p>")[0]
    assert "28 waiting" in summary
    assert "18 overdue" in summary
    assert "3 with a child at immediate risk" in summary
    # The rest are one click away: the list below, filtered to those waiting.
    assert f'href="{all_url}?status=reported"' in body
    assert "All 28 concerns waiting to be acknowledged" in body
    # And they agree with the rows shown: each row's "overdue" is the same clock.
    assert sum(w.overdue for w in waiting) == 15


def test_it_shows_the_first_concerns_awaiting_an_agency_and_links_the_rest(
    personas, client_for, log_concern, dashboard_url, all_url
):
    concern = log_concern("commerce")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    services.concern_set_status(actor=personas.dsl, concern=concern, status="awaiting_agency")
    concern.refresh_from_db()
    copies(concern, 14)
    response = client_for(personas.dsl).get(dashboard_url)
    assert len(response.context["awaiting"]) == 10
    assert response.context["awaiting_total"] == 15
    body = response.content.decode()
    assert f'href="{all_url}?status=awaiting_agency"' in body
    assert "All 15 concerns awaiting an outside agency" in body


def test_it_says_nothing_of_the_rest_when_every_row_is_shown(
    personas, client_for, log_concern, dashboard_url
):
    log_concern("misuse")
    body = client_for(personas.dsl).get(dashboard_url).content.decode()
    assert "?status=reported#h-all" not in body
    assert "?status=awaiting_agency#h-all" not in body


def test_it_serves_a_page_of_the_same_size_for_30_concerns_waiting_as_for_300(
    personas, client_for, log_concern, dashboard_url
):
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(hours=2), tick=False):
        waiting = log_concern("misuse", pupils=[])
        agency = log_concern("commerce", pupils=[])
        services.concern_acknowledge(actor=personas.dsl, concern=agency)
        services.concern_set_status(actor=personas.dsl, concern=agency, status="awaiting_agency")
    agency.refresh_from_db()
    copies(waiting, 29)
    copies(agency, 29)
    client = client_for(personas.dsl)
    with time_machine.travel(start, tick=False):
        client.get(dashboard_url)
        small = len(client.get(dashboard_url).content)
    copies(waiting, 270)
    copies(agency, 270)
    with time_machine.travel(start, tick=False):
        large = len(client.get(dashboard_url).content)
    # Only the counts' digits differ (30 becomes 300; a random reference is as long as another).
    assert abs(large - small) < 200, (small, large)


def test_it_counts_steps_and_names_pupils_per_row(personas, client_for, log_concern, list_url):
    two = [
        services.InvolvedPupil(PupilFactory(school=personas.school), PupilRole.AFFECTED),
        services.InvolvedPupil(PupilFactory(school=personas.school), PupilRole.WITNESS),
    ]
    concern = log_concern("misuse", pupils=two)
    required = concern.steps.filter(required=True).count()
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    services.step_complete(
        actor=personas.dsl, concern=concern, step=concern.steps.first(), done=True
    )
    open_now = concern.steps.filter(required=True, state="open").count()
    assert open_now < required
    none = log_concern("online_hate", pupils=[])
    response = client_for(personas.dsl).get(list_url)
    rows = {r.reference: r for r in response.context["rows"]}
    assert rows[concern.reference].steps_open == open_now
    # The pupils named, in the order they were named, each with their year group.
    assert rows[concern.reference].pupils == ", ".join(
        f"{p.pupil.first_name} {p.pupil.last_name} ({p.pupil.year_group})" for p in two
    )
    assert rows[none.reference].steps_open == none.steps.filter(required=True, state="open").count()
    assert rows[none.reference].pupils == "None named"
    body = response.content.decode()
    assert f">{two[0].pupil.first_name} {two[0].pupil.last_name} (" in body
    assert "None named" in body
    assert rows[concern.reference].href == reverse(
        "incidents:detail", args=[personas.school.code, concern.code]
    )


def test_it_counts_the_list_without_grouping_every_concern(
    personas, client_for, log_concern, list_url
):
    log_concern("misuse")
    client = client_for(personas.dsl)
    client.get(list_url)
    with CaptureQueriesContext(connection) as queries:
        client.get(list_url, {"status": "open"})
    about_concerns = [q["sql"] for q in queries if 'FROM "incidents_concern"' in q["sql"]]
    assert about_concerns
    for sql in about_concerns:
        assert "GROUP BY" not in sql.upper(), sql
