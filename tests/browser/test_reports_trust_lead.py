"""A trust lead signs in with a code, opens the trust's figures and compares two schools side
by side, small counts hidden per school and in total, no names. Every page is checked by axe."""

import pytest
from playwright.sync_api import expect

from esafety.reports.models import Trust, TrustLead
from tests.browser.harness import sign_in, totp_code
from tests.factories import PASSWORD, TEST_TOTP_SECRET, SchoolFactory, UserFactory, enrol_totp
from tests.reports.conftest import NAMES, at, concern_logger, make_pupils

pytestmark = pytest.mark.browser


def test_a_trust_lead_compares_two_schools(open_visitor, personas):
    ashgrove = SchoolFactory(name="Ashgrove Primary", urn="100003")
    trust = Trust.objects.create(name="Riverside Learning Trust")
    trust.schools.set([personas.school, ashgrove])
    lead = UserFactory(email="lead@riverside.test", full_name="Tess Trustlead")
    TrustLead.objects.create(trust=trust, user=lead)
    enrol_totp(lead)
    logged = concern_logger(personas, make_pupils(personas))
    logged("cyberbullying", at(2026, 9, 8), n=6)
    logged("nudes", at(2026, 10, 8), n=1)

    visitor = open_visitor()
    page = visitor.page
    sign_in(visitor, lead.email, PASSWORD)
    assert visitor.path() == "/accounts/2fa/authenticate/"
    page.get_by_label("Code").fill(totp_code(TEST_TOTP_SECRET))
    visitor.submit(page.get_by_role("button", name="Sign in"))
    visitor.visit(f"/t/{trust.code}/")

    expect(page.get_by_role("heading", name="Riverside Learning Trust", level=1)).to_be_visible()
    concerns = page.locator('[data-table="by_kind"]')
    expect(concerns.get_by_role("columnheader", name="Ashgrove Primary")).to_be_visible()
    expect(concerns.get_by_role("columnheader", name="Oakfield Primary")).to_be_visible()
    nudes = concerns.get_by_role("row", name="Sharing nudes or semi-nudes")
    # Ashgrove none, Oakfield one, the trust one: hidden at the school and in the total.
    expect(nudes).to_have_text("Sharing nudes or semi-nudes0fewer than 5fewer than 5")
    # ...and Oakfield's six cyberbullying (and the trust's) withheld, or 7 less them gives it.
    expect(concerns.get_by_role("row", name="Cyberbullying")).to_contain_text("withheld")
    expect(concerns.get_by_role("row", name="All concerns")).to_contain_text("7")
    for name in NAMES:
        expect(page.locator("main")).not_to_contain_text(name)
