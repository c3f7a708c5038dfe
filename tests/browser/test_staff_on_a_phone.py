import pytest
from django.core.management import call_command

from esafety.people.models import School
from tests.browser.harness import PHONE, sign_in

pytestmark = pytest.mark.browser


def test_it_lets_staff_sign_in_find_the_menu_and_sign_out_on_a_phone(open_visitor):
    call_command("seed_demo", "--pupils", "10", stdout=None)
    school = School.objects.get(urn="999001")
    visitor = open_visitor(PHONE, is_mobile=True, has_touch=True)
    page = visitor.page

    visitor.visit("/")
    assert visitor.path() == "/accounts/login/?next=/"

    # The first Tab reaches the skip link, which shows itself and moves focus past the header.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    visitor.check()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    sign_in(visitor, "staff@demo.esafety.test", "demo-esafety-2026")
    assert visitor.path() == f"/s/{school.code}/"
    assert page.get_by_role("heading", level=1).inner_text() == school.name
    assert page.get_by_test_id("roles").inner_text() == "Staff"
    assert page.get_by_role("heading", name="Log a concern").is_visible()

    sign_out_button = page.get_by_role("button", name="Sign out")
    assert not sign_out_button.is_visible(), "the header should fold away on a phone"
    toggler = page.get_by_role("button", name="Show navigation")
    toggler.click()
    sign_out_button.wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Home").is_visible()
    visitor.check()

    visitor.submit(sign_out_button)
    assert visitor.path().startswith("/accounts/login/")
    assert page.get_by_role("status").inner_text().strip() == "You have signed out."
