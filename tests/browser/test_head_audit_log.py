import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management import call_command

from esafety.audit.selectors import audit_events_for_school
from esafety.people.access import school_access
from esafety.people.models import School, User
from tests.browser.harness import sign_in, totp_code

pytestmark = pytest.mark.browser


def test_it_lets_the_head_sign_in_with_a_code_and_page_through_the_audit_log(visitor):
    # Enough pupils for more than one page (50 events) of the audit log.
    call_command("seed_demo", "--pupils", "30", stdout=None)
    school = School.objects.get(urn="999001")
    authenticator = Authenticator.objects.get(user__email="head@demo.esafety.test", type="totp")
    secret = decrypt(authenticator.data["secret"])
    page = visitor.page

    sign_in(visitor, "head@demo.esafety.test", "demo-esafety-2026")
    assert page.get_by_role("heading", level=1).inner_text() == "Two-Factor Authentication"
    page.get_by_label("Code").fill("000000")
    visitor.submit(page.get_by_role("button", name="Sign in"))
    assert visitor.path() == "/accounts/2fa/authenticate/"
    assert "Incorrect code." in page.locator(".invalid-feedback").inner_text()
    page.get_by_label("Code").fill(totp_code(secret))
    visitor.submit(page.get_by_role("button", name="Sign in"))
    assert visitor.path() == f"/s/{school.code}/"
    assert page.get_by_test_id("roles").inner_text() == "Headteacher"

    visitor.follow(page.get_by_role("link", name="Audit log").first)
    # The demo writes pupils, concerns and policies through the services: several pages of 50.
    head = User.objects.get(email="head@demo.esafety.test")
    events = list(audit_events_for_school(access=school_access(head, school.code)))
    assert len(events) > 100
    rows = page.locator("tbody tr")
    # Pages are found by id, not numbered (numbering would count the whole log): the newest
    # page offers older ones only.
    pages = page.get_by_role("navigation", name="Pages")
    assert pages.get_by_role("link", name="Newer").count() == 0
    assert rows.count() == 50
    newest_first = rows.first.inner_text()
    visitor.follow(pages.get_by_role("link", name="Older"))
    assert rows.first.inner_text() != newest_first
    visitor.follow(pages.get_by_role("link", name="Newer"))
    assert rows.first.inner_text() == newest_first
    visitor.follow(pages.get_by_role("link", name="Oldest"))
    assert page.get_by_role("cell", name="school.created").is_visible()
    assert pages.get_by_role("link", name="Older").count() == 0
    visitor.follow(pages.get_by_role("link", name="Newer"))
    assert not page.get_by_role("cell", name="school.created").is_visible()
    visitor.follow(pages.get_by_role("link", name="Newest"))
    assert rows.first.inner_text() == newest_first
