"""Every state a page can be in that changes its colours, each checked by axe (harness.py):
the DSL's dashboard with an overdue row (pink) and an immediate-risk row (amber), forms sent
back with their error summary (a concern's note, a policy's approval), messages of each level
(success, info, error) and the warning banner, the policy library's overdue and due-soon rows,
and the 403 and 404 pages. One journey with shared data, so the suite stays fast; each form page
on the way is also checked for the form pattern (harness.assert_form_pattern).
"""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from incidents import services as incident_services
from incidents.models import PupilRole
from policies.models import Audience, Kind, VersionStatus
from policies.services.acceptances import acceptance_record_own
from policies.services.library import policy_create, version_create, version_set_review_date
from tests.browser.harness import Visitor, assert_form_pattern, sign_in, totp_code
from tests.factories import PASSWORD, TEST_TOTP_SECRET, PupilFactory
from tests.policies.conftest import publish_version

pytestmark = pytest.mark.browser


def sign_in_with_code(visitor: Visitor, user) -> None:
    sign_in(visitor, user.email, PASSWORD)
    assert visitor.path() == "/accounts/2fa/authenticate/"
    visitor.page.get_by_label("Code").fill(totp_code(TEST_TOTP_SECRET))
    visitor.submit(visitor.page.get_by_role("button", name="Sign in"))


def policy(personas, title: str, audiences=(Audience.STAFF,)):
    return policy_create(
        actor=personas.online_safety_lead,
        school=personas.school,
        title=title,
        kind=Kind.AUP,
        owner=personas.online_safety_lead,
        audiences=list(audiences),
        requires_acceptance=True,
    )


@pytest.fixture
def states(personas):
    """A concern waiting past its escalation time, one with a child at immediate risk, and
    policies whose reviews are overdue and due soon, with a draft waiting for approval."""
    school = personas.school
    pupil = PupilFactory(school=school, first_name="Ottoline", year_group="Year 5")
    concern = dict(
        actor=personas.staff,
        school=school,
        category="cyberbullying",
        occurred_at=timezone.now() - datetime.timedelta(hours=3),
        location="Class group chat",
        what_happened="Unkind messages in the class group chat.",
        pupils=[incident_services.InvolvedPupil(pupil, PupilRole.AFFECTED)],
    )
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=2)):
        overdue = incident_services.concern_log(**concern)
    at_risk = incident_services.concern_log(**concern, immediate_risk=True)

    today = timezone.localdate()
    with time_machine.travel(today - relativedelta(years=1, days=3), tick=False):
        publish_version(personas, policy(personas, "Mobile phones policy"), "1")
    soon = publish_version(personas, policy(personas, "Staff AUP"), "1")
    version_set_review_date(
        actor=personas.head, version=soon, next_review_due=today + datetime.timedelta(days=10)
    )
    draft = version_create(
        actor=personas.online_safety_lead,
        policy=soon.policy,
        number="2",
        body="# Staff AUP\n\nVersion two.",
    )
    return {"overdue": overdue, "at_risk": at_risk, "draft": draft, "published": soon}


def test_every_colour_state_passes_axe(open_visitor, personas, states):
    school = personas.school.code

    # The DSL's dashboard: the overdue concern on a pink row, the immediate-risk one on amber.
    dsl = open_visitor()
    page = dsl.page
    sign_in_with_code(dsl, personas.dsl)
    dsl.visit(reverse("incidents:dashboard", args=[school]))
    waiting = page.get_by_test_id("waiting")
    overdue_row = waiting.locator("tr.table-danger")
    expect(overdue_row).to_contain_text(states["overdue"].reference)
    expect(overdue_row).to_contain_text("Overdue")
    expect(waiting.locator("tr.table-warning")).to_contain_text(states["at_risk"].reference)

    # A concern's note sent empty: the shared error summary, focused, leads to the field.
    dsl.follow(overdue_row.get_by_role("link", name=states["overdue"].reference))
    note_form = page.locator("form", has=page.get_by_role("button", name="Add to the timeline"))
    dsl.submit(note_form.get_by_role("button", name="Add to the timeline"))
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("What to add: this is required.")
    assert_form_pattern(dsl)
    summary.get_by_role("link", name="What to add: this is required.").click()
    expect(page.get_by_label("What to add")).to_be_focused()

    # A member of staff: the banner (a warning), a page their role does not include (403), an
    # address that leads nowhere (404), and an acceptance already recorded meanwhile (info).
    staff = open_visitor()
    page = staff.page
    sign_in(staff, personas.staff.email, PASSWORD)
    expect(page.get_by_test_id("policies-banner")).to_contain_text("2 policies to read")
    staff.visit(reverse("incidents:dashboard", args=[school]), status=403)
    expect(page.get_by_role("main")).to_contain_text("Your role at this school does not")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot open this page")
    staff.visit(f"/s/{school}/no-such-page/", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    staff.follow(page.get_by_role("link", name="Go to your home page"))
    # Logging a concern sent with nothing chosen: the concern form's own summary, the same
    # pattern.
    staff.visit(reverse("incidents:new", args=[school]))
    assert_form_pattern(staff)
    staff.submit(page.get_by_role("button", name="Log the concern"))
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert_form_pattern(staff)
    staff.visit(reverse("policies:accept", args=[school]))
    published = states["published"]
    acceptance_record_own(
        actor=personas.staff, version=published, typed_name="Sam Staff"
    )  # in another tab
    form = page.locator(f"#own-{published.code.hex}")
    staff.submit(form.get_by_role("button", name="Accept"))
    expect(page.locator(".alert-info")).to_have_text("That acceptance is already recorded.")

    # The head: the library's overdue and due-soon reviews, then recording the board's approval
    # of a draft without its meeting (error summary), with it (success), and a refusal (error).
    head = open_visitor()
    page = head.page
    sign_in_with_code(head, personas.head)
    head.visit(reverse("policies:library", args=[school]))
    library = page.get_by_test_id("library")
    expect(library.locator("tr.table-danger")).to_contain_text("Mobile phones policy")
    expect(library.locator("tr.table-warning")).to_contain_text("Staff AUP")
    draft = states["draft"]
    head.visit(reverse("policies:version_approve", args=[school, draft.code]))
    meeting = page.get_by_label("Meeting that approved it")
    assert_form_pattern(head)
    expect(meeting).not_to_have_attribute("required", "")
    page.get_by_label("Governing board").check()
    expect(meeting).to_have_attribute("required", "")
    assert_form_pattern(head)
    head.submit(page.get_by_role("button", name="Approve version 2"))
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Say which meeting of the governing board approved it")
    assert_form_pattern(head)
    summary.get_by_role("link").click()
    expect(meeting).to_be_focused()
    meeting.fill("Full governing board, 12 March, minute 7")
    head.submit(page.get_by_role("button", name="Approve version 2"))
    expect(page.locator(".alert-success")).to_contain_text("Version 2 approved")
    draft.refresh_from_db()
    assert (draft.status, draft.approval_note) == (
        VersionStatus.APPROVED,
        "Full governing board, 12 March, minute 7",
    )
    head.visit(reverse("policies:version_edit", args=[school, draft.code]))
    expect(page.locator(".alert-danger")).to_contain_text("Only a draft can be edited")
