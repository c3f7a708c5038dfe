"""The office (or the head) names each class's teacher, who then records the class's in-class
AUP sign-off: the roster from the MIS does not name one."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from esafety.audit.models import AuditEvent
from esafety.people.services import school_class_set_teacher
from tests.factories import PupilFactory, SchoolClassFactory


@pytest.fixture
def oak(personas):
    """Oak class (Year 5), taught by the staff persona, with three pupils on roll."""
    school_class = SchoolClassFactory(
        school=personas.school, name="Oak", year_group="Year 5", teacher=personas.staff
    )
    pupils = [
        PupilFactory(school=personas.school, school_class=school_class, first_name=name)
        for name in ("Ada", "Bea", "Cal")
    ]
    return school_class, pupils


def teachers_url(personas) -> str:
    return reverse("people:class_teachers", args=[personas.school.code])


def test_it_lets_the_office_name_a_class_teacher(personas, client_for, oak):
    school_class, _pupils = oak
    client = client_for(personas.office)
    r = client.get(teachers_url(personas))
    assert r.status_code == 200
    assert b"Class teacher of Oak" in r.content
    choices = dict(r.context["rows"][0][1].fields["teacher"].choices)
    assert str(personas.dsl.code) in choices
    assert str(personas.governor.code) not in choices
    assert str(personas.parent.code) not in choices
    r = client.post(
        teachers_url(personas), {"school_class": school_class.code, "teacher": personas.dsl.code}
    )
    assert r.status_code == 302
    school_class.refresh_from_db()
    assert school_class.teacher == personas.dsl
    event = AuditEvent.objects.get(action="class.teacher_set")
    assert event.summary == f"Oak: {personas.dsl.email}"
    # The new teacher now finds the class on their sign-off page.
    r = client_for(personas.dsl).get(reverse("policies:class_signoff", args=[personas.school.code]))
    assert [c.name for c in r.context["classes"]] == ["Oak"]


def test_it_refuses_a_parent_as_class_teacher(personas, client_for, oak):
    school_class, _pupils = oak
    client = client_for(personas.office)
    client.post(
        teachers_url(personas),
        {"school_class": school_class.code, "teacher": personas.parent.code},
    )
    school_class.refresh_from_db()
    assert school_class.teacher == personas.staff
    assert b"Choose a member of staff from the list." in client.get(teachers_url(personas)).content
    with pytest.raises(ValidationError):
        school_class_set_teacher(
            actor=personas.office, school_class=school_class, teacher=personas.parent
        )


def test_it_clears_a_class_teacher(personas, client_for, oak):
    school_class, _pupils = oak
    client_for(personas.head).post(
        teachers_url(personas), {"school_class": school_class.code, "teacher": ""}
    )
    school_class.refresh_from_db()
    assert school_class.teacher is None


def test_it_answers_404_for_another_schools_class(personas, client_for):
    elsewhere = SchoolClassFactory(school=personas.other_school)
    r = client_for(personas.office).post(
        teachers_url(personas), {"school_class": elsewhere.code, "teacher": personas.staff.code}
    )
    assert r.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.teacher is None
