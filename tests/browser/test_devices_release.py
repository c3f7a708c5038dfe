"""A confiscated phone goes back to a guardian who signs for it, on a tablet-sized screen with
axe checking every page (harness.py): a teacher confiscates it through the confiscation page,
the office finds it in the devices held, refuses a release with no signature, then releases it
to one of the pupil's guardians chosen from the list. The chain of custody shows who took it,
who handed it over and to whom; the guardians' emails say a device is waiting, never whose."""

import pytest

from devices.models import Device, DeviceStatus, Release
from devices.services.custody import device_confiscate
from esafety.notify.models import Message
from esafety.people.models import Guardian, SchoolClass
from tests.browser.harness import assert_form_pattern, sign_in
from tests.factories import PASSWORD, PupilFactory
from tests.notify.helpers import assert_no_pupil_names_in_outbox

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}


def test_a_confiscated_phone_is_released_to_a_guardian_who_signs(open_visitor, personas):
    five = SchoolClass.objects.create(school=personas.school, name="5 Ash", year_group="Year 5")
    pupil = PupilFactory(
        school=personas.school, first_name="Rowan", last_name="Quill", school_class=five
    )
    mother = Guardian.objects.create(
        pupil=pupil, email="morgan@example.test", full_name="Morgan Pike", relationship="Mother"
    )
    Guardian.objects.create(
        pupil=pupil, email="jess@example.test", full_name="Jess Pike", relationship="Stepfather"
    )
    # Another pupil's phone is held too: the office releases only the one it opened.
    device_confiscate(
        actor=personas.head,
        pupil=PupilFactory(school=personas.school, first_name="Nia", last_name="Marsh"),
        kind="phone",
        description="Grey phone",
        reason="Rang in assembly",
        held_at="Office safe",
    )

    # A teacher takes the phone in a lesson and records it through the confiscation page.
    teacher = open_visitor(TABLET, has_touch=True)
    page = teacher.page
    sign_in(teacher, personas.staff.email, PASSWORD)
    teacher.follow(teacher.menu("Devices held", "Pupils"))
    teacher.follow(page.get_by_role("link", name="Confiscate a device"))
    form = page.locator("main form")
    form.get_by_label("Pupil").select_option(label="Quill, Rowan (5 Ash)")
    form.get_by_label("Device").select_option(label="Mobile phone")
    form.get_by_label("Description").fill("Blue phone, cracked case")
    form.get_by_label("Reason").fill("Used to film in a lesson")
    form.get_by_label("Its condition").fill("Case cracked already")
    teacher.submit(page.get_by_role("button", name="Record the confiscation"))
    assert "The device is recorded" in page.get_by_role("status").inner_text()
    assert page.get_by_test_id("device-status").inner_text() == "Held by the school"

    # The guardians are told something is waiting, never which child or what.
    waiting = Message.objects.filter(subject="A device is waiting to be collected")
    assert sorted(waiting.values_list("to_email", flat=True)) == [
        "jess@example.test",
        "morgan@example.test",
    ]
    assert all("Rowan" not in m.subject + m.body for m in waiting)
    assert assert_no_pupil_names_in_outbox(personas.school) == 2

    # The office, at the front desk on its tablet, opens the devices held and the phone.
    office = open_visitor(TABLET, has_touch=True)
    page = office.page
    sign_in(office, personas.office.email, PASSWORD)
    office.follow(office.menu("Devices held", "Pupils"))
    held = page.get_by_test_id("held")
    assert page.get_by_role("heading", name="Confiscated").inner_text() == "Confiscated (2)"
    assert "Used to film" not in held.inner_text()  # the list says what and where, not why
    office.follow(held.get_by_role("link", name="Quill, Rowan"))
    office.follow(page.get_by_role("link", name="Release to a parent or carer"))
    assert_form_pattern(office)

    # Chosen from the pupil's guardians, but nobody signed: refused, with the choice kept.
    page.get_by_label("Morgan Pike (Mother)").check()
    office.submit(page.get_by_role("button", name="Release and record the signature"))
    assert "The person collecting it types their full name." in page.locator("main").inner_text()
    assert page.get_by_label("Morgan Pike (Mother)").is_checked()
    assert_form_pattern(office)
    assert Device.objects.get(pupil=pupil).held and not Release.objects.exists()

    page.get_by_label("Signature of the person collecting it (typed full name)").fill("Morgan Pike")
    office.submit(page.get_by_role("button", name="Release and record the signature"))
    assert "released and signed for" in page.get_by_role("status").inner_text()
    assert page.get_by_test_id("device-status").inner_text() == "Released"
    chain = page.get_by_test_id("chain").get_by_role("listitem").all_inner_texts()
    assert len(chain) == 2
    assert chain[0].startswith("Taken") and "by Sam Staff" in chain[0]
    assert chain[1].startswith("Returned") and "by Ola Office" in chain[1]
    assert "to Morgan Pike" in chain[1] and "signed: Morgan Pike" in chain[1]
    assert not page.get_by_role("link", name="Release to a parent or carer").count()

    # No longer held: only the other pupil's phone is listed; this one was recently released.
    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    office.follow(breadcrumb.get_by_role("link", name="Devices held"))
    assert page.get_by_role("heading", name="Confiscated").inner_text() == "Confiscated (1)"
    assert "Marsh, Nia" in held.inner_text() and "Quill" not in held.inner_text()
    released = page.get_by_role("region", name="Recently released or handed over")
    assert "Mobile phone: Blue phone, cracked case · Released" in released.inner_text()

    device = Device.objects.get(pupil=pupil)
    assert device.status == DeviceStatus.RELEASED and device.closed_at is not None
    release = Release.objects.get()
    assert (release.guardian, release.signature) == (mother, "Morgan Pike")
    assert release.handed_over_by == personas.office
    assert list(device.custody.values_list("kind", "by__email", "person")) == [
        ("taken", personas.staff.email, ""),
        ("returned", personas.office.email, "Morgan Pike"),
    ]
