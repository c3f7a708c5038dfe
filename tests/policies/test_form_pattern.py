"""One form pattern on every policies page: required fields marked in words and with
`required`; a form sent back with errors starts with an error summary, each error a link to its
field (static/js/forms.js gives it the focus: tests/browser/test_page_states.py). And the 403 and
404 pages: a main landmark, and no query of their own."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from policies.models import ApprovedBy, Audience
from policies.services.library import GOVERNORS_MEETING_REQUIRED, version_approve, version_create
from tests.policies.conftest import error_summary

REQUIRED_CONTROL = re.compile(r"<(?:input|select|textarea)\b[^>]*\srequired(?=[\s>])[^>]*>")


def url(name: str, personas, *args) -> str:
    return reverse(f"policies:{name}", args=[personas.school.code, *args])


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def unmarked_required_controls(html: str) -> list[str]:
    """The ids of required text boxes, lists and ticks whose label does not say "(required)"
    (radio buttons are marked on their group's legend: the browser journey checks those)."""
    unmarked = []
    for tag in REQUIRED_CONTROL.findall(html):
        if 'type="radio"' in tag or 'type="hidden"' in tag:
            continue
        control_id = re.search(r'\bid="([^"]+)"', tag)[1]
        label = re.search(
            rf'<label[^>]*for="{re.escape(control_id)}"[^>]*>(.*?)</label>', html, re.S
        )
        if label is None or "required-mark" not in label[1]:
            unmarked.append(control_id)
    return unmarked


@pytest.fixture
def draft(personas, publish):
    v1 = publish([Audience.STAFF])
    return version_create(
        actor=personas.online_safety_lead, policy=v1.policy, number="2", body="Version two."
    )


def test_the_boards_meeting_is_required_and_marked_so_for_the_online_safety_lead(
    personas, client_for, draft
):
    html = main_of(
        client_for(personas.online_safety_lead).get(url("version_approve", personas, draft.code))
    )
    assert re.search(r'<input type="text" name="note"[^>]*\brequired\b', html)
    label = re.search(r'<label[^>]*for="id_note"[^>]*>(.*?)</label>', html, re.S)[1]
    assert "Meeting that approved it" in label and "(required)" in label
    assert unmarked_required_controls(html) == []


def test_the_heads_form_asks_for_the_meeting_only_with_the_boards_approval(
    personas, client_for, draft
):
    html = main_of(client_for(personas.head).get(url("version_approve", personas, draft.code)))
    note = re.search(r'<input type="text" name="note"[^>]*>', html)[0]
    assert not REQUIRED_CONTROL.search(note)
    assert 'data-required-when="approved_by_body=governors"' in note
    assert "Required when the governing board approved it." in html


def test_an_approval_sent_back_starts_with_its_error_summary(personas, client_for, draft):
    response = client_for(personas.online_safety_lead).post(
        url("version_approve", personas, draft.code),
        {"approved_by_body": ApprovedBy.GOVERNORS, "approved_on": "", "note": ""},
    )
    assert response.status_code == 200
    summary = error_summary(response)
    assert 'tabindex="-1"' in summary and 'role="alert"' in summary
    assert (
        '<a class="alert-link" href="#id_approved_on">Give the date it was approved.</a>' in summary
    )
    assert f'<a class="alert-link" href="#id_note">{GOVERNORS_MEETING_REQUIRED}</a>' in summary
    form = main_of(response)[main_of(response).index('<form method="post" novalidate>') :]
    # The summary comes first in the form, before any field.
    assert form.index("data-error-summary") < form.index('name="approved_by_body"')
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_required_field_left_empty_is_named_in_the_summary(personas, client_for, publish):
    response = client_for(personas.online_safety_lead).post(
        url("policy_new", personas), {"title": ""}
    )
    summary = error_summary(response)
    # A field with Django's own "This field is required." is named, so the list reads alone.
    assert '<a class="alert-link" href="#id_title">Title: this is required.</a>' in summary
    assert (
        '<a class="alert-link" href="#id_audiences_0">Audiences: this is required.</a>' in summary
    )


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("online_safety_lead", "policy_new"),
        ("online_safety_lead", "version_new"),
        ("online_safety_lead", "version_approve"),
        ("head", "version_approve"),
        ("online_safety_lead", "version_publish"),
        ("head", "version_review_date"),
        ("office", "kiosk_links"),
        ("staff", "accept"),
    ],
)
def test_every_required_field_is_marked(personas, client_for, publish, who, name):
    published = publish([Audience.STAFF])
    draft = version_create(
        actor=personas.online_safety_lead, policy=published.policy, number="2", body="Two."
    )
    if name == "version_publish":
        version_approve(
            actor=personas.head,
            version=draft,
            approved_by_body=ApprovedBy.HEAD,
            approved_on=timezone.localdate(),
        )
    args = {
        "version_new": [published.policy.code],
        "version_approve": [draft.code],
        "version_publish": [draft.code],
        "version_review_date": [published.code],
    }.get(name, [])
    response = client_for(getattr(personas, who)).get(url(name, personas, *args))
    assert response.status_code == 200
    html = main_of(response)
    assert REQUIRED_CONTROL.search(html), "the page has a required field to check"
    assert unmarked_required_controls(html) == []
    assert "asteriskField" not in html


# The error pages.


def test_a_refusal_is_a_page_with_a_main_landmark_and_no_query_of_its_own(personas, client_for):
    client = client_for(personas.staff)
    client.get(reverse("people:school_home", args=[personas.school.code]))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("library", personas))
    assert response.status_code == 403
    html = response.content.decode()
    assert '<main id="main"' in html
    assert "<h1>You cannot open this page</h1>" in html
    # Only what the access check itself reads: the session, the user, their memberships.
    tables = {t for q in queries.captured_queries for t in re.findall(r'FROM "(\w+)"', q["sql"])}
    assert tables <= {"django_session", "people_user", "people_membership"}


def test_not_found_is_a_page_with_a_main_landmark_and_no_query(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<main id="main"' in html and "<h1>Page not found</h1>" in html
    assert len(queries) == 0
