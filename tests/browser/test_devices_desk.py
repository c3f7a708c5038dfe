"""The morning hand-in desk on the office's tablet: five phones in (one damaged), three back,
found by name and by class, with axe-core checking every page (harness.py)."""

import datetime

import pytest
from django.utils import timezone

from devices.models import HandIn
from devices.services.exceptions import exception_grant
from esafety.people.models import SchoolClass
from tests.browser.harness import sign_in
from tests.factories import PASSWORD, PupilFactory

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}
NAMES = [("Ada", "Birch"), ("Ben", "Cole"), ("Cara", "Dunn"), ("Dev", "Ellis"), ("Eve", "Frost")]


def test_the_office_checks_in_five_phones_and_hands_back_three(open_visitor, personas):
    today = timezone.localdate()
    six = SchoolClass.objects.create(school=personas.school, name="6 Oak", year_group="Year 6")
    pupils = []
    for first, last in NAMES:
        pupil = PupilFactory(
            school=personas.school, first_name=first, last_name=last, school_class=six
        )
        exception_grant(
            actor=personas.head,
            pupil=pupil,
            reason="walks_home",
            detail="",
            starts_on=today - datetime.timedelta(days=5),
            ends_on=None,
            review_due=today + datetime.timedelta(days=60),
        )
        pupils.append(pupil)
    PupilFactory(school=personas.school, first_name="Nia", last_name="Nophone")

    tablet = open_visitor(TABLET, has_touch=True)
    page = tablet.page
    sign_in(tablet, personas.office.email, PASSWORD)
    tablet.follow(tablet.menu("Phone hand-in desk", "Pupils"))
    assert "0 of 5 handed in" in page.get_by_test_id("desk-counts").inner_text()
    assert "Nophone" not in page.get_by_test_id("desk").inner_text()

    for n, (first, last) in enumerate(NAMES):
        if n == 2:
            page.get_by_label(f"Damage to {first}'s phone (only if damaged)").fill("Cracked screen")
        tablet.submit(page.get_by_role("button", name=f"Check in {first} {last}'s phone"))
        assert f"{first} {last}'s phone is in." in page.get_by_role("status").inner_text()
    assert "5 of 5 handed in · 5 still held" in page.get_by_test_id("desk-counts").inner_text()
    assert "Damaged: Cracked screen" in page.get_by_test_id("desk").inner_text()

    # The afternoon: found by class, then by name, one tap each.
    page.get_by_label("Find a pupil by name or class").fill("6 Oak")
    tablet.submit(page.get_by_role("button", name="Find", exact=True))
    assert page.get_by_test_id("desk-row").count() == 5
    for first, last in NAMES[:2]:
        tablet.submit(page.get_by_role("button", name=f"Hand back {first} {last}'s phone"))
    page.get_by_label("Find a pupil by name or class").fill("Dunn")
    tablet.submit(page.get_by_role("button", name="Find", exact=True))
    assert page.get_by_test_id("desk-row").count() == 1
    tablet.submit(page.get_by_role("button", name="Hand back Cara Dunn's phone"))
    assert "5 of 5 handed in · 2 still held" in page.get_by_test_id("desk-counts").inner_text()

    assert HandIn.objects.filter(returned_at__isnull=False).count() == 3
    assert HandIn.objects.get(pupil=pupils[2]).condition == "Cracked screen"
