import pytest

from esafety.people.models import Role
from tests.browser.harness import sign_in
from tests.factories import PASSWORD, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.browser


def test_it_lets_someone_at_two_schools_choose_and_switch_in_the_header(visitor):
    oakfield = SchoolFactory(name="Oakfield Primary")
    birchwood = SchoolFactory(name="Birchwood Primary")
    user = UserFactory(email="tam@example.test", full_name="Tam Twoschools")
    MembershipFactory(user=user, school=oakfield, role=Role.STAFF)
    MembershipFactory(user=user, school=birchwood, role=Role.GOVERNOR)
    page = visitor.page

    sign_in(visitor, user.email, PASSWORD)
    assert visitor.path() == "/"
    assert page.get_by_role("heading", level=1).inner_text() == "Your schools"
    visitor.follow(page.get_by_role("main").get_by_role("link", name="Oakfield Primary"))
    assert page.get_by_role("heading", level=1).inner_text() == "Oakfield Primary"
    assert page.get_by_test_id("roles").inner_text() == "Staff"

    switcher = page.get_by_role("button", name="Oakfield Primary")
    switcher.click()
    assert switcher.get_attribute("aria-expanded") == "true"
    visitor.check()
    visitor.follow(page.get_by_role("link", name="Birchwood Primary"))
    assert page.get_by_role("heading", level=1).inner_text() == "Birchwood Primary"
    assert page.get_by_test_id("roles").inner_text() == "Governor"
