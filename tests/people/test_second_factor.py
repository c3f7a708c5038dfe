"""Whoever can open a child-protection record needs a second factor and the privileged idle
timeout (issue 7, item 2): a property of what a member can open, not a list of role names."""

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.urls import reverse

from esafety.people import access as access_module
from esafety.people.access import is_privileged, school_access
from esafety.people.models import Role
from tests.conftest import make_member


def fresh(user):
    # is_privileged reads the memberships cached on the user object for the request.
    user.__dict__.pop("_esafety_memberships", None)
    return user


def test_it_asks_the_chair_of_governors_for_a_second_factor(personas):
    # The chair opens allegations about the head: a child-protection record.
    assert is_privileged(fresh(personas.chair))
    assert not is_privileged(fresh(personas.governor))


@pytest.mark.parametrize("role", ["dsl", "deputy_dsl", "online_safety_lead", "head", "chair"])
def test_it_asks_everyone_who_can_open_a_concern(personas, role):
    assert is_privileged(fresh(personas.for_role(role)))


@pytest.mark.parametrize("role", ["staff", "office", "governor", "parent"])
def test_it_does_not_ask_those_who_open_no_concern(personas, role):
    assert not is_privileged(fresh(personas.for_role(role)))


def test_it_sends_a_chair_without_a_second_factor_to_set_one_up(personas, client_for):
    Authenticator.objects.filter(user=personas.chair).delete()
    client = client_for(personas.chair)
    home = reverse("people:school_home", args=[personas.school.code])
    assert client.get(home).url == reverse("mfa_activate_totp")


def test_it_lets_a_governor_who_is_not_the_chair_in_with_a_password(personas, client_for):
    home = reverse("people:school_home", args=[personas.school.code])
    assert client_for(personas.governor).get(home).status_code == 200


def test_it_ends_the_chairs_session_after_thirty_idle_minutes(personas, client_for):
    home = reverse("people:school_home", args=[personas.school.code])
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as traveller:
        client = client_for(personas.chair)
        assert client.get(home).status_code == 200
        traveller.shift(datetime.timedelta(minutes=31))
        r = client.get(home)
        assert r.status_code == 302 and r.url.startswith(reverse("account_login"))


def test_it_covers_a_role_that_gains_access_tomorrow_by_the_same_rule(personas):
    """A new app that lets the office open child-protection records registers what the office
    can open, and the office needs a second factor with no list of roles to edit."""

    def office_opens_records(access) -> bool:
        return access.has(Role.OFFICE)

    assert not is_privileged(fresh(personas.office))
    access_module.register_second_factor_rule(office_opens_records)
    try:
        assert is_privileged(fresh(personas.office))
        assert not is_privileged(fresh(personas.staff))
    finally:
        access_module._second_factor_rules.remove(office_opens_records)


def test_it_asks_a_member_who_can_open_records_at_any_of_their_schools(personas):
    # A teacher here who is the DSL at another school needs the second factor everywhere: the
    # session is one, whichever school's pages it opens.
    teacher = make_member(personas.school, Role.STAFF, "two@oakfield.test", "Two Schools")
    assert not is_privileged(fresh(teacher))
    from tests.factories import MembershipFactory

    MembershipFactory(user=teacher, school=personas.other_school, role=Role.DSL)
    assert is_privileged(fresh(teacher))
    assert not school_access(fresh(teacher), personas.school.code).has(Role.DSL)
