import pytest
from django.core.management import call_command

from esafety.people.models import School
from tests.browser.harness import sign_in, sign_out, totp_code

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-esafety-2026"
DSL = "dsl@demo.esafety.test"
ACTIVATE = "/accounts/2fa/totp/activate/"


def test_it_makes_the_demo_dsl_enrol_totp_before_reaching_the_dsl_home(visitor):
    call_command("seed_demo", "--pupils", "10", "--mfa-on-first-sign-in", stdout=None)
    school = School.objects.get(urn="999001")
    page = visitor.page

    sign_in(visitor, DSL, DEMO_PASSWORD)
    if visitor.path().startswith("/accounts/reauthenticate/"):
        # allauth asks for the password again before adding an authenticator, even straight
        # after signing in: its own guard against a borrowed session enrolling a stranger's app.
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        visitor.submit(page.get_by_role("button", name="Confirm"))
    assert visitor.path() == ACTIVATE
    assert page.get_by_role("heading", level=1).inner_text() == "Activate Authenticator App"

    # Until an authenticator is set up, the school's pages send the DSL back to set-up.
    for path in (f"/s/{school.code}/", f"/s/{school.code}/audit/", "/"):
        visitor.visit(path)
        assert visitor.path() == ACTIVATE, f"{path} was reachable without MFA"

    secret = page.get_by_label("Authenticator secret").input_value()
    assert len(secret) >= 16
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    visitor.submit(page.get_by_role("button", name="Activate"))

    if visitor.path().startswith("/accounts/2fa/recovery-codes/"):
        assert page.get_by_role("heading", level=1).inner_text() == "Recovery Codes"
        assert len(page.get_by_label("Unused codes").input_value().split()) == 10
        visitor.follow(page.get_by_role("link", name="Continue to esafety"))

    assert visitor.path() == f"/s/{school.code}/"
    assert page.get_by_role("heading", level=1).inner_text() == school.name
    assert page.get_by_role("heading", name="Concerns", exact=True).is_visible()

    sign_out(visitor)
    assert visitor.path().startswith("/accounts/login/")
    sign_in(visitor, DSL, DEMO_PASSWORD)
    assert visitor.path() == "/accounts/2fa/authenticate/"
    page.get_by_label("Code").fill(totp_code(secret))
    visitor.submit(page.get_by_role("button", name="Sign in"))
    assert visitor.path() == f"/s/{school.code}/"
    assert page.get_by_role("heading", name="Concerns", exact=True).is_visible()

    # The audit log the DSL could not open before enrolling.
    visitor.follow(visitor.menu("Audit log", "School"))
    assert page.get_by_role("heading", level=1).inner_text() == "Audit log"
    # Newest first: the DSL's own enrolment and sign-in head the school's log.
    assert page.get_by_role("cell", name="mfa.added").first.is_visible()
    assert page.get_by_role("cell", name="user.signed_in").first.is_visible()
