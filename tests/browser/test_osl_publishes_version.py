"""The online safety lead writes version 2 of the staff AUP, the head approves it, the online
safety lead publishes it, and the figures show every member of staff outstanding again.
Every page is checked by axe (see harness.py)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from policies.models import Audience, Kind, PolicyVersion, VersionStatus
from policies.services.acceptances import acceptance_record_own
from policies.services.library import policy_create
from tests.browser.harness import PHONE, Visitor, sign_in, totp_code
from tests.factories import PASSWORD, TEST_TOTP_SECRET
from tests.policies.conftest import publish_version

pytestmark = pytest.mark.browser

STAFF_NAMES = ["Dana Lead", "Dev Deputy", "Hal Head", "Ola Office", "Olu Safety", "Sam Staff"]


def sign_in_with_code(visitor: Visitor, user) -> None:
    page = visitor.page
    sign_in(visitor, user.email, PASSWORD)
    assert visitor.path() == "/accounts/2fa/authenticate/"
    page.get_by_label("Code").fill(totp_code(TEST_TOTP_SECRET))
    visitor.submit(page.get_by_role("button", name="Sign in"))


def main_nav(visitor: Visitor, label: str):
    return visitor.menu(label, "Policies")


def staff_figure(visitor: Visitor):
    return visitor.page.locator('[data-testid="figure"][data-audience="staff"]')


def test_it_publishes_a_new_staff_aup_and_everyone_is_outstanding_again(open_visitor, personas):
    policy = policy_create(
        actor=personas.online_safety_lead,
        school=personas.school,
        title="Staff AUP",
        kind=Kind.AUP,
        owner=personas.online_safety_lead,
        audiences=[Audience.STAFF],
        requires_acceptance=True,
    )
    v1 = publish_version(personas, policy, "1", body="# Staff AUP\n\nVersion one.")
    for user in (personas.staff, personas.office):
        acceptance_record_own(actor=user, version=v1, typed_name=user.full_name)
    school = personas.school.code

    # The online safety lead sees two of the six staff have accepted version 1.
    osl = open_visitor()
    page = osl.page
    sign_in_with_code(osl, personas.online_safety_lead)
    osl.follow(main_nav(osl, "Policy figures"))
    expect(staff_figure(osl)).to_contain_text("2 of 6 accepted (33%)")

    # ...and writes version 2, previewing it first.
    osl.follow(main_nav(osl, "Policies"))
    osl.follow(page.get_by_role("link", name="Staff AUP", exact=True))
    osl.follow(page.get_by_role("link", name="New version"))
    expect(page.get_by_label("Version number")).to_have_value("2")
    page.get_by_label("Text").fill(
        "# Staff AUP\n\nVersion two.\n\n- I report a filtering breach at once.\n\n"
        "<script>alert('x')</script>"
    )
    osl.submit(page.get_by_role("button", name="Preview"))
    preview = page.locator("#preview")
    expect(preview).to_contain_text("I report a filtering breach at once.")
    expect(preview.locator("li")).to_have_count(1)
    expect(preview.locator("script")).to_have_count(0)
    osl.submit(page.get_by_role("button", name="Save draft"))
    v2 = PolicyVersion.objects.get(policy=v1.policy, number="2")
    assert v2.status == VersionStatus.DRAFT
    assert osl.path() == reverse("policies:version_detail", args=[school, v2.code])
    expect(page.get_by_role("link", name="Publish")).to_have_count(0)

    # The head, on their phone, approves it as headteacher.
    head = open_visitor(PHONE)
    sign_in_with_code(head, personas.head)
    head.follow(main_nav(head, "Policies"))
    head.follow(head.page.get_by_role("link", name="Staff AUP", exact=True))
    head.follow(head.page.get_by_role("link", name="Version 2"))
    head.follow(head.page.get_by_role("link", name="Record approval"))
    head.page.get_by_label("Headteacher").check()
    head.submit(head.page.get_by_role("button", name="Approve version 2"))
    expect(head.page.get_by_role("status")).to_contain_text("Version 2 approved")
    v2.refresh_from_db()
    assert (v2.status, v2.approved_by) == (VersionStatus.APPROVED, personas.head)

    # The online safety lead publishes it, the review date a year on as offered.
    osl.visit(osl.path())
    osl.follow(page.get_by_role("link", name="Publish"))
    osl.submit(page.get_by_role("button", name="Publish version 2"))
    expect(page.get_by_role("status")).to_contain_text("Version 2 is published.")
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)

    # Everyone on the staff has to accept version 2: none of them has yet.
    osl.follow(main_nav(osl, "Policy figures"))
    expect(page.get_by_role("heading", name="Staff AUP, version 2")).to_be_visible()
    expect(staff_figure(osl)).to_contain_text("0 of 6 accepted (0%)")
    staff_figure(osl).get_by_text("6 still to accept").click()
    outstanding = staff_figure(osl).get_by_test_id("outstanding").locator("li")
    expect(outstanding).to_have_text(STAFF_NAMES)

    # The old version stays readable with its two acceptances.
    osl.follow(main_nav(osl, "Policies"))
    osl.follow(page.get_by_role("link", name="Staff AUP", exact=True))
    osl.follow(page.get_by_role("link", name="Version 1"))
    expect(page.get_by_test_id("acceptance-count")).to_have_text("2")

    # A parent following the school website's link reads version 2 on a phone, signed out.
    reader = open_visitor(PHONE)
    reader.visit(reverse("policies:public_list", args=[school]))
    reader.follow(reader.page.get_by_role("link", name="Staff AUP", exact=True))
    expect(reader.page.get_by_role("heading", level=1)).to_have_text("Staff AUP")
    expect(reader.page.locator(".policy-body")).to_contain_text("Version two.")
    expect(reader.page.locator(".policy-body")).not_to_contain_text("Version one.")
