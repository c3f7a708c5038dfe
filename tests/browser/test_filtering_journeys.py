"""Filtering and monitoring: the online safety lead records a check with one failure and
resolves it; the named governor signs off the annual review from their home page. Every page is
checked by axe (see harness.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from filtering.models import CheckTask, ReviewItem, RoleKind
from filtering.services import reviews, roles
from tests.browser.harness import Visitor, assert_form_pattern, sign_in, totp_code
from tests.factories import PASSWORD, TEST_TOTP_SECRET

pytestmark = pytest.mark.browser


def sign_in_with_code(visitor: Visitor, user) -> None:
    page = visitor.page
    sign_in(visitor, user.email, PASSWORD)
    assert visitor.path() == "/accounts/2fa/authenticate/"
    page.get_by_label("Code").fill(totp_code(TEST_TOTP_SECRET))
    visitor.submit(page.get_by_role("button", name="Sign in"))


def tabs(page):
    return page.get_by_role("navigation", name="Filtering and monitoring")


def _name(personas, kind, user) -> None:
    roles.role_assign(
        school=personas.school, actor=personas.head, kind=kind, user=user, duties="Duties."
    )


def test_the_osl_records_a_check_with_one_failure_and_resolves_it(open_visitor, personas):
    _name(personas, RoleKind.SENIOR_LEADER, personas.online_safety_lead)
    osl = open_visitor()
    page = osl.page
    sign_in_with_code(osl, personas.online_safety_lead)
    osl.follow(osl.menu("Filtering and monitoring", "Safeguarding"))
    osl.follow(tabs(page).get_by_role("link", name="Checks", exact=True))
    osl.follow(page.get_by_role("link", name="Record a check"))
    page.get_by_label("Device type").select_option(label="iPads")
    page.get_by_label("User group").select_option(label="Pupils: key stage 2")
    page.get_by_label("Tested on").fill(timezone.localdate().isoformat())
    page.get_by_label("Child sexual abuse content (IWF list)", exact=True).select_option("blocked")
    page.get_by_label("Adult content", exact=True).select_option("not_blocked")
    # Not blocked, and no action said: the form comes back with its error summary.
    osl.submit(page.get_by_role("button", name="Record the check"))
    expect(page.locator("[data-error-summary]")).to_contain_text("not blocked")
    assert_form_pattern(osl)
    assert not CheckTask.objects.exists()
    page.get_by_label("Adult content: action taken").fill("Reported to the IT provider.")
    osl.submit(page.get_by_role("button", name="Record the check"))
    expect(page.get_by_test_id("results")).to_contain_text("Not blocked")
    expect(page.get_by_test_id("task-state")).to_contain_text("Open since")
    # The checks page lists it as a failed check not yet resolved.
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    osl.follow(crumbs.get_by_role("link", name="Checks", exact=True))
    expect(page.get_by_test_id("tasks")).to_contain_text("iPads")
    osl.follow(page.get_by_test_id("tasks").get_by_role("link"))
    page.get_by_label("How it was resolved").fill("Category added to the iPads; re-tested.")
    osl.submit(page.get_by_role("button", name="Mark it resolved"))
    expect(page.get_by_test_id("task-state")).to_contain_text("Resolved by Olu Safety")
    assert CheckTask.objects.get().resolved_at is not None


def test_every_filtering_page_passes_axe_with_records_on_it(open_visitor, personas):
    # The demo's records (roles, provision, checks, decisions, reports with a week missed, the
    # rota, an alert, a signed review), then each tab and a record of each kind, checked by axe.
    from esafety.people.models import Role
    from filtering.demo import seed_filtering

    people = {
        Role.HEAD: personas.head,
        Role.ONLINE_SAFETY_LEAD: personas.online_safety_lead,
        Role.DSL: personas.dsl,
        Role.GOVERNOR: personas.governor,
    }
    seed_filtering(school=personas.school, people=people)
    osl = open_visitor()
    page = osl.page
    sign_in_with_code(osl, personas.online_safety_lead)
    osl.follow(osl.menu("Filtering and monitoring", "Safeguarding"))
    for tab in ("Roles", "Provision", "Decisions", "Checks", "Weekly reports", "Out of hours"):
        osl.follow(tabs(page).get_by_role("link", name=tab, exact=True))
    osl.follow(tabs(page).get_by_role("link", name="Annual review", exact=True))
    osl.follow(page.get_by_test_id("reviews").get_by_role("link").first)
    osl.follow(page.get_by_role("link", name="Annual review", exact=True).first)
    osl.follow(tabs(page).get_by_role("link", name="Decisions", exact=True))
    osl.follow(page.get_by_test_id("decisions").get_by_role("link").first)
    osl.follow(page.get_by_role("link", name="Decision log"))
    osl.follow(tabs(page).get_by_role("link", name="Weekly reports", exact=True))
    expect(page.get_by_test_id("report-figures")).to_contain_text("1 missed")
    # And every form, empty.
    school = personas.school.code
    for name in ("settings", "role_assign", "provision_new", "decision_new", "alert_new"):
        osl.visit(reverse(f"filtering:{name}", args=[school]))
    osl.visit(reverse("filtering:role_assign", args=[school]) + "?kind=it_provider")


def test_the_named_governor_signs_the_annual_review(open_visitor, personas):
    _name(personas, RoleKind.SENIOR_LEADER, personas.head)
    _name(personas, RoleKind.GOVERNOR, personas.governor)
    review = reviews.review_complete(
        school=personas.school,
        actor=personas.head,
        answers={item: {"met": True, "note": ""} for item in ReviewItem.values},
        summary="Reviewed with the DSL and the IT provider.",
    )
    governor = open_visitor()
    page = governor.page
    sign_in(governor, personas.governor.email, PASSWORD)
    expect(page.get_by_text("The annual review waits for your signature.")).to_be_visible()
    governor.follow(page.get_by_role("link", name="Read and sign it off"))
    expect(page.get_by_test_id("answers")).to_contain_text("Roles and responsibilities")
    governor.follow(page.get_by_role("link", name="Read and sign off the review"))
    page.get_by_label("Your full name, as your signature").fill("Gita Governor")
    page.get_by_label("I have read the review and sign it off for the governing body").check()
    governor.submit(page.get_by_role("button", name="Sign it off"))
    expect(page.get_by_test_id("signed")).to_contain_text("Signed off by Gita Governor")
    review.refresh_from_db()
    assert review.signed_at is not None and review.governor == personas.governor
