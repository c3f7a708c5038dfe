"""The policy library's pages: list, policies, versions from draft to retired."""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from esafety.audit.models import AuditEvent
from esafety.people.models import Role
from policies.models import Acceptance, ApprovedBy, Audience, Kind, Policy, VersionStatus
from policies.services.acceptances import acceptance_record_own
from policies.services.library import (
    policy_create,
    version_approve,
    version_create,
    version_set_review_date,
)
from tests.conftest import make_member
from tests.policies.conftest import error_summary, publish_version

EVIL = "Be kind.\n\n<script>alert('pwned')</script><img src=x onerror=alert(1)>\n\n**Bold**"


def url(name: str, personas, *args) -> str:
    return reverse(f"policies:{name}", args=[personas.school.code, *args])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def draft(personas, publish):
    v1 = publish([Audience.STAFF], body="Version one text.")
    return version_create(
        actor=personas.online_safety_lead, policy=v1.policy, number="2", body="Version two text."
    )


# The library list.


def test_it_lists_each_policy_with_its_version_review_date_and_draft(personas, client_for, publish):
    today = timezone.localdate()
    soon = publish([Audience.STAFF], title="Staff AUP")
    version_set_review_date(
        actor=personas.head, version=soon, next_review_due=today + datetime.timedelta(days=10)
    )
    version_create(actor=personas.online_safety_lead, policy=soon.policy, number="2", body="Next.")
    with time_machine.travel(today - relativedelta(years=1, days=5), tick=False):
        late = publish([Audience.GOVERNORS], title="Governors' AUP")
    fine = publish([Audience.PARENTS], title="Parents' AUP")

    response = client_for(personas.dsl).get(url("library", personas))

    assert response.status_code == 200
    rows = {row.policy.title: row for row in response.context["rows"]}
    assert rows["Staff AUP"].review == "due_soon"
    assert [v.number for v in rows["Staff AUP"].pending] == ["2"]
    assert rows["Governors' AUP"].review == "overdue"
    assert rows["Parents' AUP"].review == ""
    assert rows["Parents' AUP"].published == fine
    html = response.content.decode()
    assert "Overdue" in html and "Due soon" in html
    assert late.policy.owner.get_full_name() in html
    # The DSL reads the library; only the online safety lead and the head add to it.
    assert url("policy_new", personas) not in html


def test_it_shows_the_public_address_for_the_school_website(personas, client_for):
    response = client_for(personas.online_safety_lead).get(url("library", personas))
    public = reverse("policies:public_list", args=[personas.school.code])
    assert response.context["public_url"] == f"http://testserver{public}"
    assert f'value="http://testserver{public}"' in response.content.decode()


def _count_library_queries(client, path: str) -> int:
    client.get(path)  # the first request writes the session's idle clock
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_it_runs_the_same_queries_for_2_policies_as_for_12(
    personas, client_for, publish, django_assert_num_queries
):
    client = client_for(personas.online_safety_lead)
    path = url("library", personas)
    for n in range(2):
        publish([Audience.STAFF], title=f"Policy {n}")
    small = _count_library_queries(client, path)
    for n in range(2, 12):
        version = publish([Audience.PARENTS], title=f"Policy {n}")
        version_create(
            actor=personas.online_safety_lead, policy=version.policy, number="2", body="Next."
        )
    with django_assert_num_queries(small):
        response = client.get(path)
    assert len(response.context["rows"]) == 12


# Policies.


def test_it_lets_the_online_safety_lead_add_a_policy(personas, client_for):
    response = client_for(personas.online_safety_lead).post(
        url("policy_new", personas),
        {
            "title": "  Mobile   phones policy ",
            "kind": Kind.MOBILE_PHONES,
            "owner": personas.head.pk,
            "audiences": [Audience.STAFF, Audience.PUPILS_KS2],
            "requires_acceptance": "on",
        },
    )
    policy = Policy.objects.get(school=personas.school)
    assert response.status_code == 302
    assert response["Location"] == url("version_new", personas, policy.code)
    assert policy.title == "Mobile phones policy"
    assert policy.owner == personas.head
    assert policy.audiences == [Audience.PUPILS_KS2, Audience.STAFF]
    assert policy.requires_acceptance and not policy.is_public
    assert AuditEvent.objects.filter(action="policy.created", school=personas.school).exists()


def test_it_offers_only_the_schools_staff_as_owners(personas, client_for):
    client = client_for(personas.head)
    owners = list(client.get(url("policy_new", personas)).context["form"].fields["owner"].queryset)
    assert personas.online_safety_lead in owners and personas.office in owners
    assert personas.governor not in owners and personas.parent not in owners
    assert personas.other_dsl not in owners
    response = client.post(
        url("policy_new", personas),
        {"title": "AUP", "kind": Kind.AUP, "owner": personas.other_dsl.pk, "audiences": ["staff"]},
    )
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not Policy.objects.exists()


def test_it_edits_a_policys_details(personas, client_for, publish):
    policy = publish([Audience.STAFF]).policy
    response = client_for(personas.head).post(
        url("policy_edit", personas, policy.code),
        {
            "title": "Staff and volunteers AUP",
            "owner": personas.dsl.pk,
            "audiences": [Audience.STAFF],
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.title == "Staff and volunteers AUP"
    assert policy.owner == personas.dsl
    assert not policy.requires_acceptance
    assert policy.kind == Kind.AUP  # the kind is not edited


def test_it_shows_every_version_with_its_acceptances(personas, client_for, publish):
    v1 = publish([Audience.STAFF])
    acceptance_record_own(actor=personas.staff, version=v1, typed_name="Sam Staff")
    acceptance_record_own(actor=personas.office, version=v1, typed_name="Ola Office")
    v2 = publish_version(personas, v1.policy, "2")
    acceptance_record_own(actor=personas.staff, version=v2, typed_name="Sam Staff")

    response = client_for(personas.deputy_dsl).get(url("policy_detail", personas, v1.policy.code))

    counts = {v.number: (v.status, v.acceptance_count) for v in response.context["versions"]}
    assert counts == {"2": ("published", 1), "1": ("retired", 2)}
    # The old version stays readable, with its acceptances.
    old = client_for(personas.deputy_dsl).get(url("version_detail", personas, v1.code))
    assert old.status_code == 200
    assert old.context["version"].acceptance_count == 2
    assert "This version is retired" in old.content.decode()


# Versions.


def test_it_previews_the_sanitised_text_without_saving(personas, client_for, publish):
    policy = publish([Audience.STAFF]).policy
    response = client_for(personas.online_safety_lead).post(
        url("version_new", personas, policy.code),
        {"number": "2", "body": EVIL, "preview": "1"},
    )
    assert response.status_code == 200
    preview = str(response.context["preview"])
    assert "<strong>Bold</strong>" in preview
    assert "<script" not in preview and "onerror" not in preview
    # The text being edited is shown escaped in its box; nothing of it runs.
    html = response.content.decode()
    assert "<script>alert" not in html and "<img" not in html
    assert policy.versions.count() == 1


def test_it_starts_a_new_version_from_the_latest_text_and_saves_a_draft(
    personas, client_for, publish
):
    policy = publish([Audience.STAFF], body="Version one text.").policy
    client = client_for(personas.online_safety_lead)
    form = client.get(url("version_new", personas, policy.code)).context["form"]
    assert form.initial == {"number": "2", "body": "Version one text."}
    response = client.post(
        url("version_new", personas, policy.code), {"number": "v2", "body": "Version two."}
    )
    draft = policy.versions.get(number="2")
    assert response["Location"] == url("version_detail", personas, draft.code)
    assert draft.status == VersionStatus.DRAFT
    assert draft.created_by == personas.online_safety_lead


def test_it_shows_a_refusal_from_the_service_beside_its_field(personas, client_for, publish):
    policy = publish([Audience.STAFF]).policy
    response = client_for(personas.head).post(
        url("version_new", personas, policy.code), {"number": "1", "body": "Again."}
    )
    assert response.status_code == 200
    message = "Version 1 exists already: choose another number."
    assert response.context["form"].errors["number"] == [message]
    summary = error_summary(response)
    assert f'<a class="alert-link" href="#id_number">{message}</a>' in summary
    assert response.context["form"]["body"].value() == "Again."  # what was typed is kept
    assert policy.versions.count() == 1


def test_it_shows_the_body_only_through_the_sanitiser(personas, client_for, publish):
    version = publish([Audience.STAFF], body=EVIL)
    html = client_for(personas.dsl).get(url("version_detail", personas, version.code))
    html = html.content.decode()
    assert "<strong>Bold</strong>" in html
    assert "alert('pwned')" not in html and "onerror" not in html


def test_it_edits_a_draft_but_sends_back_from_a_published_version(personas, client_for, draft):
    client = client_for(personas.online_safety_lead)
    response = client.post(
        url("version_edit", personas, draft.code), {"number": "2", "body": "Changed."}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "Changed."
    published = draft.policy.versions.get(number="1")
    response = client.get(url("version_edit", personas, published.code), follow=True)
    assert response.redirect_chain[-1][0] == url("version_detail", personas, published.code)
    assert any("Only a draft can be edited" in m for m in messages_of(response))


def test_it_lets_the_head_approve_as_headteacher(personas, client_for, draft):
    today = timezone.localdate()
    response = client_for(personas.head).post(
        url("version_approve", personas, draft.code),
        {"approved_by_body": ApprovedBy.HEAD, "approved_on": today.isoformat()},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.APPROVED
    assert (draft.approved_by_body, draft.approved_by, draft.approved_on) == (
        ApprovedBy.HEAD,
        personas.head,
        today,
    )


def test_it_lets_the_online_safety_lead_record_only_the_boards_approval(
    personas, client_for, draft
):
    client = client_for(personas.online_safety_lead)
    form = client.get(url("version_approve", personas, draft.code)).context["form"]
    assert [c for c, _label in form.fields["approved_by_body"].choices] == [ApprovedBy.GOVERNORS]
    as_head = client.post(
        url("version_approve", personas, draft.code),
        {"approved_by_body": ApprovedBy.HEAD, "approved_on": timezone.localdate().isoformat()},
    )
    assert as_head.status_code == 200
    assert "approved_by_body" in as_head.context["form"].errors
    meeting = timezone.localdate() - datetime.timedelta(days=3)
    no_note = client.post(
        url("version_approve", personas, draft.code),
        {"approved_by_body": ApprovedBy.GOVERNORS, "approved_on": meeting.isoformat()},
    )
    assert "note" in no_note.context["form"].errors
    client.post(
        url("version_approve", personas, draft.code),
        {
            "approved_by_body": ApprovedBy.GOVERNORS,
            "approved_on": meeting.isoformat(),
            "note": "Full governing board, minute 7",
        },
    )
    draft.refresh_from_db()
    assert draft.status == VersionStatus.APPROVED
    assert draft.approved_by_body == ApprovedBy.GOVERNORS
    assert (draft.approved_on, draft.approval_note) == (meeting, "Full governing board, minute 7")
    assert draft.approved_by == personas.online_safety_lead


def test_it_publishes_with_the_review_prefilled_a_year_on(personas, client_for, draft):
    today = timezone.localdate()
    version_approve(
        actor=personas.head, version=draft, approved_by_body=ApprovedBy.HEAD, approved_on=today
    )
    client = client_for(personas.online_safety_lead)
    form = client.get(url("version_publish", personas, draft.code)).context["form"]
    assert form["effective_date"].value() == today
    assert form["next_review_due"].value() == today + relativedelta(years=1)
    chosen = today + relativedelta(months=6)
    response = client.post(
        url("version_publish", personas, draft.code),
        {"effective_date": today.isoformat(), "next_review_due": chosen.isoformat()},
        follow=True,
    )
    assert "Version 2 is published." in messages_of(response)
    draft.refresh_from_db()
    assert (draft.status, draft.next_review_due) == (VersionStatus.PUBLISHED, chosen)
    assert draft.policy.versions.get(number="1").status == VersionStatus.RETIRED


def test_it_refuses_to_publish_a_draft(personas, client_for, draft):
    response = client_for(personas.head).post(
        url("version_publish", personas, draft.code),
        {"effective_date": "2030-01-01", "next_review_due": "2031-01-01"},
        follow=True,
    )
    assert any("Only an approved version can be published" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_it_changes_the_review_date_and_retires(personas, client_for, publish):
    version = publish([Audience.STAFF])
    client = client_for(personas.head)
    past = timezone.localdate() - datetime.timedelta(days=1)
    refused = client.post(
        url("version_review_date", personas, version.code), {"next_review_due": past.isoformat()}
    )
    assert "next_review_due" in refused.context["form"].errors
    later = timezone.localdate() + datetime.timedelta(days=200)
    client.post(
        url("version_review_date", personas, version.code), {"next_review_due": later.isoformat()}
    )
    version.refresh_from_db()
    assert version.next_review_due == later

    response = client.post(url("version_retire", personas, version.code), follow=True)
    version.refresh_from_db()
    assert version.status == VersionStatus.RETIRED
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="policy_version.retired").count() == 1


def test_it_answers_404_for_another_schools_version(personas, client_for):
    other_owner = make_member(personas.other_school, Role.HEAD, "head@birchwood.test", "Bo Head")
    policy = policy_create(
        actor=other_owner,
        school=personas.other_school,
        title="Their AUP",
        kind=Kind.AUP,
        owner=other_owner,
        audiences=[Audience.STAFF],
        requires_acceptance=True,
    )
    version = version_create(actor=other_owner, policy=policy, number="1", body="Theirs")
    client = client_for(personas.online_safety_lead)
    assert client.get(url("version_detail", personas, version.code)).status_code == 404
    assert client.get(url("policy_detail", personas, policy.code)).status_code == 404
    response = client.post(
        url("version_approve", personas, version.code),
        {"approved_by_body": ApprovedBy.GOVERNORS, "approved_on": "2020-01-01", "note": "x"},
    )
    assert response.status_code == 404
    assert not Acceptance.objects.exists()
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_it_puts_the_texts_headings_under_the_pages_own(personas, client_for, publish):
    version = publish(
        [Audience.STAFF], title="Staff AUP", body="# Staff AUP\n\n## Passwords\n\nText"
    )
    html = client_for(personas.head).get(url("version_detail", personas, version.code))
    html = html.content.decode()
    assert html.count("<h1") == 1
    assert "<h2>Staff AUP</h2>" in html and "<h3>Passwords</h3>" in html


# The school home and the navigation.


@pytest.mark.parametrize("who", ["online_safety_lead", "head"])
def test_it_counts_reviews_due_and_overdue_on_the_home_page(personas, client_for, publish, who):
    today = timezone.localdate()
    with time_machine.travel(today - relativedelta(years=1, days=3), tick=False):
        publish([Audience.GOVERNORS], title="Governors' AUP")
    soon = publish([Audience.STAFF])
    version_set_review_date(
        actor=personas.head, version=soon, next_review_due=today + datetime.timedelta(days=5)
    )
    html = client_for(getattr(personas, who)).get(
        reverse("people:school_home", args=[personas.school.code])
    )
    html = html.content.decode()
    assert "<strong>1 review overdue</strong>, 1 due in the next 30 days" in html
    assert url("library", personas) in html


@pytest.mark.parametrize(
    ("who", "labels"),
    [
        ("online_safety_lead", {"Policies", "Policy figures"}),
        ("head", {"Policies", "Policy figures"}),
        ("dsl", {"Policies", "Policy figures"}),
        ("deputy_dsl", {"Policies", "Policy figures"}),
        ("governor", {"Policy figures"}),
        ("staff", set()),
        ("office", set()),
        ("parent", set()),
    ],
)
def test_it_puts_the_library_in_the_navigation_of_those_who_use_it(
    personas, client_for, who, labels
):
    response = client_for(getattr(personas, who)).get(
        reverse("people:school_home", args=[personas.school.code])
    )
    nav = {item.label for item in response.context["nav"]}
    assert nav & {"Policies", "Policy figures"} == labels


def test_a_version_lists_who_accepted_it_when_and_how_in_constant_queries(
    personas, publish, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from policies.services.acceptances import acceptance_record_own
    from tests.factories import MembershipFactory

    staff_aup = publish(["staff"], title="Staff AUP")
    acceptance_record_own(actor=personas.staff, version=staff_aup, typed_name="Sam Staff")
    url = f"/s/{personas.school.code}/policies/versions/{staff_aup.code}/"
    client = client_for(personas.online_safety_lead)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        r = client.get(url)
    assert b"Acceptances of this version (1)" in r.content
    assert b"Sam Staff" in r.content and b"Online" in r.content
    for _ in range(20):
        member = MembershipFactory(school=personas.school, role="staff").user
        acceptance_record_own(actor=member, version=staff_aup, typed_name="X Y")
    with django_assert_num_queries(len(small)):
        r = client.get(url)
    assert b"Acceptances of this version (21)" in r.content
