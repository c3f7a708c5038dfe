"""The school's active staff: the one query every app uses for "who works here"."""

from esafety.people.models import Membership, Role
from esafety.people.selectors import active_staff
from tests.conftest import make_member
from tests.factories import MembershipFactory


def test_it_lists_everyone_the_school_employs_in_name_order(personas):
    # Not the governors, the chair, the parent, the other school's DSL or the user of no school.
    assert list(active_staff(school=personas.school)) == [
        personas.dsl,  # Dana Lead
        personas.deputy_dsl,  # Dev Deputy
        personas.head,  # Hal Head
        personas.office,  # Ola Office
        personas.online_safety_lead,  # Olu Safety
        personas.staff,  # Sam Staff
    ]


def test_it_lists_someone_with_two_staff_roles_once(personas):
    MembershipFactory(user=personas.dsl, school=personas.school, role=Role.HEAD)

    staff = list(active_staff(school=personas.school))

    assert staff.count(personas.dsl) == 1
    assert len(staff) == 6


def test_it_leaves_out_an_ended_membership(personas):
    Membership.objects.filter(user=personas.staff).update(is_active=False)

    assert personas.staff not in active_staff(school=personas.school)


def test_it_leaves_out_a_deactivated_account(personas):
    personas.office.is_active = False
    personas.office.save(update_fields=["is_active"])

    assert personas.office not in active_staff(school=personas.school)


def test_it_leaves_out_a_staff_member_whose_staff_role_has_ended_but_who_governs(personas):
    # Active at the school, but only as a governor now.
    teacher = make_member(personas.school, Role.STAFF, "ex@oakfield.test", "Ex Teacher")
    MembershipFactory(user=teacher, school=personas.school, role=Role.GOVERNOR)
    Membership.objects.filter(user=teacher, role=Role.STAFF).update(is_active=False)

    assert teacher not in active_staff(school=personas.school)


def test_it_leaves_out_the_staff_of_another_school(personas):
    assert list(active_staff(school=personas.other_school)) == [personas.other_dsl]
    assert personas.other_dsl not in active_staff(school=personas.school)
