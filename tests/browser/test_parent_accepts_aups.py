import pytest
from playwright.sync_api import expect

from esafety.people.models import Guardian
from policies.models import Acceptance, AcceptanceKind, Audience, Kind
from policies.services.library import policy_create
from tests.browser.harness import PHONE, sign_in
from tests.factories import PASSWORD, PupilFactory
from tests.policies.conftest import publish_version

pytestmark = pytest.mark.browser


def publish(personas, audience: str, title: str, body: str):
    policy = policy_create(
        actor=personas.online_safety_lead,
        school=personas.school,
        title=title,
        kind=Kind.AUP,
        owner=personas.online_safety_lead,
        audiences=[audience],
        requires_acceptance=True,
    )
    return publish_version(personas, policy, "1", body)


def test_it_lets_a_parent_on_a_phone_accept_their_aup_and_cosign_for_two_children(
    open_visitor, personas
):
    school = personas.school
    parents_aup = publish(
        personas, Audience.PARENTS, "Parents' AUP", "## At home\n\nI talk with my child."
    )
    ks2 = publish(personas, Audience.PUPILS_KS2, "KS2 pupils' AUP", "I ask before I click.")
    ks1 = publish(personas, Audience.PUPILS_KS1, "KS1 pupils' AUP", "I tell a grown-up.")
    ada = PupilFactory(school=school, first_name="Ada", year_group="Year 5")
    ben = PupilFactory(school=school, first_name="Ben", year_group="Year 2")
    PupilFactory(school=school, first_name="Cleo", year_group="Year 5")  # not theirs
    for child in (ada, ben):
        Guardian.objects.create(pupil=child, email=personas.parent.email, user=personas.parent)

    visitor = open_visitor(PHONE, is_mobile=True, has_touch=True)
    page = visitor.page
    sign_in(visitor, personas.parent.email, PASSWORD)
    assert visitor.path() == f"/s/{school.code}/"
    banner = page.get_by_test_id("policies-banner")
    assert "You have 3 policies to read and accept." in banner.inner_text()
    agreements = page.get_by_test_id("children-agreements").inner_text()
    assert "Ada: to co-sign KS2 pupils' AUP" in agreements
    assert "Ben: to co-sign KS1 pupils' AUP" in agreements

    visitor.follow(banner.get_by_role("link", name="Read and accept"))
    assert visitor.path() == f"/s/{school.code}/policies/accept/"
    assert page.get_by_role("heading", level=1).inner_text() == "Policies to accept"
    assert page.get_by_role("heading", name="At home").is_visible()

    # Sent without the tick: nothing recorded, and the page says what to fix.
    own = page.locator(f"#own-{parents_aup.code.hex}")
    own.get_by_label("Your full name").fill("Pat Parent")
    visitor.submit(own.get_by_role("button", name="Accept"))
    own = page.locator(f"#own-{parents_aup.code.hex}")
    summary = own.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    assert summary.evaluate("el => el === document.activeElement")
    # Its link leads to the box to tick, which takes the focus.
    summary.get_by_role("link", name="Tick the box to say you have read and accept it.").click()
    expect(own.get_by_label("I have read and accept this policy")).to_be_focused()
    assert not Acceptance.objects.exists()

    own.get_by_label("I have read and accept this policy").check()
    own.get_by_label("Your full name").fill("Pat Parent")
    visitor.submit(own.get_by_role("button", name="Accept"))
    assert "Your acceptance of Parents' AUP is recorded." in page.get_by_role("status").inner_text()

    for child, version in ((ada, ks2), (ben, ks1)):
        form = page.locator(f"#cosign-{version.code.hex}-{child.code.hex}")
        form.get_by_label(f"I have read this agreement with {child.first_name}").check()
        form.get_by_label("Your full name").fill("Pat Parent")
        visitor.submit(form.get_by_role("button", name=f"Co-sign for {child.first_name}"))
        status = page.get_by_role("status").inner_text()
        assert f"You have co-signed {version.policy.title} for {child.first_name}." in status

    assert page.get_by_test_id("nothing-to-accept").is_visible()
    accepted = page.get_by_test_id("accepted").inner_text()
    assert "co-signed for Ada" in accepted and "co-signed for Ben" in accepted
    own_row = Acceptance.objects.get(kind=AcceptanceKind.OWN)
    assert (own_row.user, own_row.pupil, own_row.version) == (personas.parent, None, parents_aup)
    assert {
        (a.pupil, a.version) for a in Acceptance.objects.filter(kind=AcceptanceKind.COSIGN)
    } == {(ada, ks2), (ben, ks1)}
    browser = page.evaluate("() => navigator.userAgent")
    assert {a.user_agent for a in Acceptance.objects.all()} == {browser}

    visitor.visit(f"/s/{school.code}/")
    assert page.get_by_test_id("policies-banner").count() == 0
    agreements = page.get_by_test_id("children-agreements").inner_text()
    assert "Ada: all agreements co-signed" in agreements
    assert "Ben: all agreements co-signed" in agreements
