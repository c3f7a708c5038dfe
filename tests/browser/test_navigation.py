"""The grouped menu (issue 8): the head's pages fit a 1280-pixel screen in a few sections, each
opened and followed with the keyboard alone, and on a phone behind the menu button."""

import pytest

from tests.browser.harness import PHONE, sign_in, totp_code
from tests.factories import PASSWORD, TEST_TOTP_SECRET

pytestmark = pytest.mark.browser


def sign_in_head(visitor, head) -> None:
    sign_in(visitor, head.email, PASSWORD)
    visitor.page.get_by_label("Code").fill(totp_code(TEST_TOTP_SECRET))
    visitor.submit(visitor.page.get_by_role("button", name="Sign in"))


def test_the_heads_menu_fits_the_screen_and_works_by_keyboard(open_visitor, personas):
    visitor = open_visitor({"width": 1280, "height": 800})
    page = visitor.page
    sign_in_head(visitor, personas.head)
    nav = page.get_by_role("navigation", name="Main")
    # Nothing runs off the right of the screen.
    overflow = nav.evaluate("n => n.scrollWidth - n.clientWidth")
    assert overflow <= 0, f"the menu is {overflow}px wider than the screen"
    buttons = nav.locator("button.dropdown-toggle").all_inner_texts()
    assert [b for b in buttons if b in ("Safeguarding", "Policies", "Pupils", "School")] == [
        "Safeguarding",
        "Policies",
        "Pupils",
        "School",
    ]

    # Keyboard only: focus the section, open it with Enter, move down to a page, follow it.
    nav.get_by_role("button", name="Policies", exact=True).focus()
    page.keyboard.press("Enter")
    figures = nav.get_by_role("link", name="Policy figures", exact=True)
    figures.wait_for(state="visible")
    visitor.check()  # axe, with the section open
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Policy figures"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    visitor.check()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Policy")
    # The page's section shows where the head is.
    assert "active" in (
        nav.get_by_role("button", name="Policies", exact=True).get_attribute("class")
    )

    # Escape closes an open section and leaves the focus on its button.
    nav.get_by_role("button", name="School", exact=True).click()
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.textContent.trim()") == "School"


def test_the_menu_opens_on_a_phone(open_visitor, personas):
    visitor = open_visitor(PHONE)
    sign_in_head(visitor, personas.head)
    visitor.follow(visitor.menu("Audit log", "School"))
    assert visitor.page.get_by_role("heading", level=1).inner_text() == "Audit log"
