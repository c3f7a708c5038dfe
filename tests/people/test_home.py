from esafety.people.models import Role
from tests.factories import MembershipFactory


def test_it_sends_a_single_school_member_to_the_school_home(personas, client_for):
    r = client_for(personas.staff).get("/")
    assert r.status_code == 302
    assert r.url == f"/s/{personas.school.code}/"


def test_it_lists_schools_for_a_member_of_two(personas, client_for):
    MembershipFactory(user=personas.staff, school=personas.other_school, role=Role.STAFF)
    r = client_for(personas.staff).get("/")
    assert r.status_code == 200
    assert b"Oakfield Primary" in r.content and b"Birchwood Primary" in r.content


def test_it_shows_school_and_role_on_the_landing_page(personas, client_for):
    r = client_for(personas.office).get(f"/s/{personas.school.code}/")
    assert r.status_code == 200
    assert b"Oakfield Primary" in r.content
    assert b"School office" in r.content


def test_it_hides_another_school_from_an_outsider(personas, client_for):
    r = client_for(personas.other_dsl).get(f"/s/{personas.school.code}/")
    assert r.status_code == 404


def test_it_sends_anonymous_users_to_sign_in(personas, client_for):
    r = client_for(None).get(f"/s/{personas.school.code}/")
    assert r.status_code == 302
    assert r.url.startswith("/accounts/login/")
