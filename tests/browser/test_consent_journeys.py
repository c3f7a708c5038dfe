"""Photo consent in the browser: a parent on a phone decides for two children and withdraws
one choice; a teacher checks a class photo for the website before it is used; the office marks
the take-down the withdrawal opened as removed. Every page checked by axe (harness.py)."""

import pytest

from consent.models import Choice, Decision, Method, Purpose, TakeDown
from consent.services.decisions import decision_record, marking_set
from consent.services.setup import consent_setup
from esafety.people.models import Guardian
from tests.browser.harness import PHONE, sign_in
from tests.factories import PASSWORD, GuardianFactory, PupilFactory, SchoolClassFactory

pytestmark = pytest.mark.browser


def test_a_parent_on_a_phone_decides_for_two_children_then_withdraws_one(open_visitor, personas):
    school = personas.school
    consent_setup(school=school, actor=personas.office)
    kids = [PupilFactory(school=school, first_name=n, last_name="Ashdown") for n in ("Ada", "Ben")]
    for kid in kids:
        Guardian.objects.create(pupil=kid, email=personas.parent.email, user=personas.parent)
    PupilFactory(school=school, first_name="Cleo")  # not theirs

    visitor = open_visitor(PHONE, is_mobile=True, has_touch=True)
    page = visitor.page
    sign_in(visitor, personas.parent.email, PASSWORD)
    card = page.get_by_test_id("consent-outstanding").inner_text()
    assert "14 photo consent choices still to make" in card
    visitor.follow(page.get_by_role("link", name="See and change your choices"))
    assert page.get_by_role("heading", level=1).inner_text() == "Photo and video consent"
    assert "Cleo" not in page.content()

    for kid in kids:
        section = page.get_by_test_id(f"child-{kid.first_name}")
        section.get_by_role("group", name="School website").get_by_label("Yes", exact=True).check()
        section.get_by_role("group", name="Newsletter").get_by_label("Yes", exact=True).check()
        section.get_by_role("group", name="Press, with names").get_by_label(
            "No", exact=True
        ).check()
        visitor.submit(section.get_by_role("button", name=f"Save choices for {kid.first_name}"))
        status = page.get_by_role("status").inner_text()
        assert f"Your choices for {kid.first_name} are saved." in status

    # Changing their mind: Ben is no longer to be on the website.
    ben = page.get_by_test_id("child-Ben")
    assert (
        ben.get_by_role("group", name="School website").get_by_label("Yes", exact=True).is_checked()
    )
    ben.get_by_role("group", name="School website").get_by_label("No", exact=True).check()
    visitor.submit(ben.get_by_role("button", name="Save choices for Ben"))
    assert (
        page.get_by_test_id("child-Ben")
        .get_by_role("group", name="School website")
        .get_by_label("No", exact=True)
        .is_checked()
    )

    latest = {
        (d.pupil.first_name, d.purpose.label): d.choice
        for d in Decision.objects.order_by("decided_at", "id").select_related("pupil", "purpose")
    }
    assert latest == {
        ("Ada", "School website"): "granted",
        ("Ada", "Newsletter"): "granted",
        ("Ada", "Press, with names"): "refused",
        ("Ben", "School website"): "refused",
        ("Ben", "Newsletter"): "granted",
        ("Ben", "Press, with names"): "refused",
    }
    assert Decision.objects.count() == 7  # the withdrawal is a new decision, the old one kept
    assert {d.method for d in Decision.objects.all()} == {Method.ONLINE}


def test_a_teacher_checks_a_class_photo_and_the_office_takes_one_down(open_visitor, personas):
    school = personas.school
    consent_setup(school=school, actor=personas.office)
    website = Purpose.objects.get(school=school, label="School website")
    klass = SchoolClassFactory(school=school, name="6B")
    pupils = {}
    for name, choice in (
        ("Amir", "granted"),
        ("Bea", "granted"),
        ("Cal", "refused"),
        ("Dot", "granted"),
        ("Eli", "alone_only"),
    ):
        pupil = PupilFactory(school=school, first_name=name, last_name="Pupil", school_class=klass)
        decision_record(
            actor=personas.office,
            pupil=pupil,
            purpose=website,
            choice=choice,
            method=Method.PAPER,
            guardian=GuardianFactory(pupil=pupil),
        )
        pupils[name] = pupil
    marking_set(actor=personas.dsl, pupil=pupils["Dot"], reason="Adopted.")

    teacher = open_visitor()
    page = teacher.page
    sign_in(teacher, personas.staff.email, PASSWORD)
    teacher.follow(teacher.menu("May we use this photo?", "Pupils"))
    page.get_by_label("Purpose").select_option(label="School website")
    page.get_by_label("Class").select_option(label="6B")
    teacher.submit(page.get_by_role("button", name="Check"))
    may_not = page.get_by_test_id("may-not").inner_text()
    assert "2 may not appear" in may_not
    assert "Cal Pupil (Refused)" in may_not and "Dot Pupil (Do not photograph)" in may_not
    assert "Eli Pupil" in page.get_by_test_id("alone-only").inner_text()
    page.get_by_label("Amir Pupil").check()
    page.get_by_label("Bea Pupil").check()
    page.get_by_label("What it is").fill("Class 6B on the school trip")
    page.locator("#id_channel").select_option(label="School website")
    page.get_by_label("Link or reference").fill("https://hollybrook.example/6b-trip")
    teacher.submit(page.get_by_role("button", name="Record the use"))
    assert "The use is recorded" in page.get_by_role("status").inner_text()
    assert "Class 6B on the school trip" in page.get_by_test_id("publications").inner_text()

    # Bea's parent withdraws at the office: the photo is now a take-down.
    decision_record(
        actor=personas.office,
        pupil=pupils["Bea"],
        purpose=website,
        choice=Choice.REFUSED,
        method=Method.IN_PERSON,
        guardian=pupils["Bea"].guardians.get(),
    )
    office = open_visitor()
    page = office.page
    sign_in(office, personas.office.email, PASSWORD)
    assert "1 photo take-down still to do." in page.get_by_test_id("takedowns-open").inner_text()
    office.follow(page.get_by_role("link", name="Photo take-downs", exact=True).last)
    card = page.get_by_test_id("takedown")
    assert "Bea Pupil" in card.inner_text()
    card.get_by_label("How it was removed").fill("Deleted from the website's trip page")
    office.submit(card.get_by_role("button", name="Mark removed"))
    assert "Marked removed." in page.get_by_role("status").inner_text()
    assert page.get_by_test_id("open-count").inner_text() == "Nothing to take down."
    assert "Deleted from the website's trip page" in page.get_by_test_id("done").inner_text()
    takedown = TakeDown.objects.get()
    assert takedown.closed_by == personas.office and not takedown.is_open
