"""The filtering pages: what each form does, what bad input gets, and a constant number of
queries whatever the size of the school's history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filtering.models import (
    CheckCategory,
    CheckTask,
    Decision,
    DeviceType,
    ProvisionVersion,
    ReportAcknowledgement,
    ReviewItem,
    RoleAssignment,
    RoleKind,
    UrgentAlert,
    UserGroup,
)
from filtering.periods import monday_of
from filtering.services import checks, decisions, monitoring, reviews


def url(personas, name, *args):
    return reverse(f"filtering:{name}", args=[personas.school.code, *args])


PROVISION = {
    "filtering_provider": "Provider",
    "filtering_product": "Product",
    "monitoring_provider": "Monitor",
    "monitoring_methods": ["device", "physical"],
    "sites": "Main site",
    "user_groups": ["ks2", "staff"],
    "device_types": ["windows", "ipad"],
    "mobile_data": "Handed in.",
    "blocks_iwf_list": "on",
    "blocks_terrorist_list": "on",
    "uksic_response_url": "https://provider.example/uksic",
}


def test_a_change_to_the_provision_is_a_new_version_and_the_old_one_stays(personas, client_for):
    client = client_for(personas.online_safety_lead)
    assert client.post(url(personas, "provision_new"), PROVISION).status_code == 302
    # The same again changes nothing and says so.
    again = client.post(url(personas, "provision_new"), PROVISION | {"change_note": "x"})
    assert "Nothing has changed" in again.content.decode()
    # A change without a note is refused beside the field; with one, it is version 2.
    changed = PROVISION | {"device_types": ["windows", "ipad", "chromebook"]}
    refused = client.post(url(personas, "provision_new"), changed)
    assert refused.status_code == 200 and ProvisionVersion.objects.count() == 1
    done = client.post(url(personas, "provision_new"), changed | {"change_note": "Chromebooks."})
    assert done.status_code == 302
    assert list(ProvisionVersion.objects.values_list("number", flat=True)) == [2, 1]
    page = client.get(url(personas, "provision")).content.decode()
    assert "Version 2" in page and "Chromebooks." in page and "First recorded" in page


def test_naming_a_role_keeps_the_earlier_holder(personas, client_for):
    client = client_for(personas.head)
    assign = url(personas, "role_assign") + "?kind=senior_leader"
    assert client.post(assign, {"user": personas.head.pk, "duties": "Leads."}).status_code == 302
    assert client.post(assign, {"user": personas.dsl.pk, "duties": "Leads."}).status_code == 302
    assert RoleAssignment.objects.filter(kind=RoleKind.SENIOR_LEADER).count() == 2
    # A member of staff cannot be the senior leader: the form says why and saves nothing.
    refused = client.post(assign, {"user": personas.staff.pk, "duties": "Leads."})
    assert refused.status_code == 200
    assert RoleAssignment.objects.filter(kind=RoleKind.SENIOR_LEADER).count() == 2
    it = url(personas, "role_assign") + "?kind=it_provider"
    data = {"name": "Sam Engineer", "organisation": "IT Ltd", "contact": "a@b.example"}
    assert client.post(it, data | {"duties": "Runs it."}).status_code == 302
    page = client_for(personas.governor).get(url(personas, "roles")).content.decode()
    assert "Dana Lead" in page and "Sam Engineer" in page


def test_the_osl_records_a_check_with_one_failure(personas, client_for):
    client = client_for(personas.online_safety_lead)
    data = {
        "device_type": "ipad",
        "user_group": "ks2",
        "tool": "Test tool",
        "tested_on": timezone.localdate().isoformat(),
        "child_abuse": "blocked",
        "adult": "not_blocked",
    }
    # The failure needs its action: the form comes back, nothing saved.
    refused = client.post(url(personas, "check_new"), data)
    assert refused.status_code == 200
    assert "not blocked: say what is done" in refused.content.decode()
    assert not CheckTask.objects.exists()
    response = client.post(url(personas, "check_new"), data | {"adult_action": "Told IT."})
    assert response.status_code == 302
    task = CheckTask.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert "Not blocked" in detail and "Open since" in detail
    resolve = url(personas, "task_resolve", task.check_record.code)
    assert client.post(resolve, {"resolution": "Fixed."}).status_code == 302
    task.refresh_from_db()
    assert task.resolved_at is not None


def test_weekly_reports_show_missed_weeks_and_take_one_acknowledgement(personas, client_for):
    from filtering.services import settings

    first = monday_of(timezone.localdate()) - datetime.timedelta(weeks=3)
    settings.settings_update(
        school=personas.school,
        actor=personas.head,
        check_cadence="termly",
        reports_from=first,
    )
    client = client_for(personas.dsl)
    page = client.get(url(personas, "reports")).content.decode()
    assert "0 of 3 weeks acknowledged" in page and "3 missed" in page
    prefix = first.isoformat()
    post = {
        "prefix": prefix,
        f"{prefix}-week_start": prefix,
        f"{prefix}-note": "Nothing to act on.",
        f"{prefix}-concern": "not a link",
    }
    bad = client.post(url(personas, "report_acknowledge"), post)
    assert "not a concern" in bad.content.decode()
    assert not ReportAcknowledgement.objects.exists()
    post[f"{prefix}-concern"] = ""
    assert client.post(url(personas, "report_acknowledge"), post).status_code == 302
    again = client.post(url(personas, "report_acknowledge"), post)
    assert "acknowledged already" in again.content.decode()
    page = client.get(url(personas, "reports")).content.decode()
    assert "1 of 3 weeks acknowledged" in page and "2 missed" in page


def test_an_urgent_alert_is_recorded_with_when_it_came_and_was_acted_on(personas, client_for):
    client = client_for(personas.dsl)
    received = timezone.localtime() - datetime.timedelta(hours=3)
    data = {
        "received_at": received.strftime("%Y-%m-%dT%H:%M"),
        "acted_at": (received + datetime.timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
        "received_by": personas.dsl.pk,
        "action": "Phoned the family.",
    }
    backwards = data | {
        "acted_at": (received - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    }
    assert client.post(url(personas, "alert_new"), backwards).status_code == 200
    assert client.post(url(personas, "alert_new"), data).status_code == 302
    alert = UrgentAlert.objects.get()
    assert (alert.acted_at - alert.received_at) == datetime.timedelta(minutes=20)


# Query counts: every page at two sizes of history.


def grow(personas, n: int, offset: int = 0) -> None:
    school, osl, today = personas.school, personas.online_safety_lead, timezone.localdate()
    for i in range(n):
        day = today - datetime.timedelta(days=i)
        made = decisions.decision_record(
            school=school,
            actor=osl,
            action="block",
            target_kind="site",
            target=f"s{i}.example",
            requested_by="A teacher",
            requested_on=day,
            reason="r",
            risk_assessment="a",
            outcome="approved",
            decided_on=day,
        )
        decisions.decision_applied(decision=made, actor=osl, applied_on=day, applied_by="IT")
        checks.check_record(
            school=school,
            actor=osl,
            device_type=DeviceType.IPAD,
            user_group=UserGroup.KS2,
            tool="t",
            tested_on=day,
            results=[checks.Result(CheckCategory.ADULT, i % 2 == 0, "Told IT.")],
        )
        monitoring.report_acknowledge(
            school=school,
            actor=personas.dsl,
            week_start=monday_of(today) - datetime.timedelta(weeks=offset + i + 1),
            note="Nothing.",
        )
        monitoring.shift_record(
            school=school, actor=osl, user=personas.dsl, starts_on=day, ends_on=today
        )
        monitoring.alert_record(
            school=school,
            actor=personas.dsl,
            received_at=timezone.now() - datetime.timedelta(hours=i + 2),
            acted_at=timezone.now() - datetime.timedelta(hours=i + 1),
            received_by=personas.dsl,
            action="Acted.",
        )
    review = reviews.review_complete(
        school=school,
        actor=personas.head,
        answers={item: {"met": True, "note": ""} for item in ReviewItem.values},
        summary="s",
    )
    reviews.review_sign(review=review, actor=personas.governor, signature="Gita Governor")


PAGES = ["overview", "roles", "provision", "decisions", "checks", "reports", "alerts", "reviews"]


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", PAGES)
def test_each_page_issues_the_same_queries_at_two_sizes(named, record_provision, client_for, page):
    record_provision()
    grow(named, 3)
    client = client_for(named.online_safety_lead)
    client.get(url(named, page))  # the first request of a session writes it
    small = _queries(client, url(named, page))
    # Grow the history well past what a page shows (with another review, signed).
    grow(named, 60, offset=3)
    assert _queries(client, url(named, page)) == small


def test_a_check_and_a_decision_page_issue_the_same_queries_at_two_sizes(
    named, record_check, client_for
):
    client = client_for(named.online_safety_lead)
    check = record_check(failed=True)
    client.get(url(named, "check_detail", check.code))
    small = _queries(client, url(named, "check_detail", check.code))
    grow(named, 20, offset=0)
    assert _queries(client, url(named, "check_detail", check.code)) == small
    decision = Decision.objects.first()
    assert _queries(client, url(named, "decision_detail", decision.code)) <= small + 2
