from urllib.parse import urlsplit

import pytest

from policies.models import Acceptance, Audience, Kind, Method, Visitor
from tests.browser.harness import sign_in
from tests.factories import PASSWORD
from tests.policies.conftest import publish_version

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}


def test_it_lets_a_visitor_accept_at_the_kiosk_and_the_office_see_them_in_the_log(
    open_visitor, personas
):
    from policies.services.library import policy_create

    policy = policy_create(
        actor=personas.online_safety_lead,
        school=personas.school,
        title="Visitors' AUP",
        kind=Kind.AUP,
        owner=personas.online_safety_lead,
        audiences=[Audience.VISITORS],
        requires_acceptance=True,
    )
    version = publish_version(
        personas,
        policy,
        "3",
        "## While you are here\n\nDo not photograph pupils. Our [website](https://example.org).",
    )

    # The office creates a kiosk link and sees its address once.
    office = open_visitor()
    page = office.page
    sign_in(office, personas.office.email, PASSWORD)
    office.follow(office.menu("Visitor kiosk", "Policies"))
    page.get_by_label("Where the tablet is").fill("Main reception")
    office.submit(page.get_by_role("button", name="Create link"))
    assert "This is the only time the link is shown." in page.get_by_role("main").inner_text()
    kiosk_path = urlsplit(page.get_by_label("Kiosk address").input_value()).path

    # The reception tablet: no sign-in, nothing to follow anywhere.
    tablet = open_visitor(TABLET, has_touch=True)
    screen = tablet.page
    tablet.visit(kiosk_path)
    assert screen.get_by_role("heading", level=1).inner_text() == "Welcome to Oakfield Primary"
    assert screen.get_by_role("link").count() == 0
    assert screen.get_by_role("navigation").count() == 0
    assert "Do not photograph pupils." in screen.get_by_test_id("visitor-aup").inner_text()

    screen.get_by_label("Your name").fill("Vera Visitor")
    tablet.submit(screen.get_by_role("button", name="Accept and sign in"))
    summary = screen.get_by_role("alert")
    assert "Say who you are visiting." in summary.inner_text()
    assert "Tick the box to say you have read and accept it." in summary.inner_text()
    assert summary.evaluate("el => el === document.activeElement")
    assert not Visitor.objects.exists()

    screen.get_by_label("Your organisation").fill("County IT")
    screen.get_by_label("Who you are visiting").fill("Ola in the office")
    screen.get_by_label("I have read and accept the visitors' agreement").check()
    screen.get_by_label("Sign by typing your full name").fill("Vera Visitor")
    tablet.submit(screen.get_by_role("button", name="Accept and sign in"))
    assert screen.get_by_role("heading", level=1).inner_text() == "Thank you"
    assert "Vera" not in screen.get_by_role("main").inner_text()
    acceptance = Acceptance.objects.get()
    assert (acceptance.visitor.name, acceptance.method, acceptance.version) == (
        "Vera Visitor",
        Method.KIOSK,
        version,
    )

    tablet.follow(screen.get_by_role("link", name="Next visitor"))
    assert tablet.path() == kiosk_path
    assert screen.get_by_label("Your name").input_value() == ""
    assert screen.get_by_label("Your organisation").input_value() == ""

    # The tablet never reaches the app: a school page asks for a sign-in.
    tablet.visit(f"/s/{personas.school.code}/")
    assert tablet.path().startswith("/accounts/login/")

    # The office sees the visitor in the log.
    office.visit(f"/s/{personas.school.code}/policies/kiosk/")
    office.follow(page.get_by_role("link", name="Visitor log"))
    row = page.get_by_role("row").filter(has_text="Vera Visitor")
    assert "County IT" in row.inner_text()
    assert "Ola in the office" in row.inner_text()
    assert "Visitors' AUP, version 3" in row.inner_text()

    # Switched off, the tablet's link shows a bare page and nothing else.
    office.follow(page.get_by_role("main").get_by_role("link", name="Visitor kiosk"))
    office.submit(page.get_by_role("button", name="Switch off the kiosk link for Main reception"))
    assert "no longer works" in page.get_by_role("status").inner_text()
    tablet.visit(kiosk_path, status=404)
    assert screen.get_by_role("heading", level=1).inner_text() == "This page is not available"
    assert screen.get_by_role("link").count() == 0
    assert "Oakfield" not in screen.content()
