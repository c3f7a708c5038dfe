"""The online safety lead records a pupil lesson and sees which year groups are still waiting
for this term's, then changes a course's cadence in the catalogue. Every page is checked by axe
(see harness.py)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.harness import Visitor, sign_in, totp_code
from tests.factories import PASSWORD, TEST_TOTP_SECRET, PupilFactory
from training.models import Course, Kind

pytestmark = pytest.mark.browser


def sign_in_with_code(visitor: Visitor, user) -> None:
    sign_in(visitor, user.email, PASSWORD)
    visitor.page.get_by_label("Code").fill(totp_code(TEST_TOTP_SECRET))
    visitor.submit(visitor.page.get_by_role("button", name="Sign in"))


def test_the_lead_records_a_lesson_and_changes_a_course(open_visitor, personas):
    for year in ("Year 3", "Year 4"):
        PupilFactory(school=personas.school, year_group=year)
    osl = open_visitor()
    page = osl.page
    sign_in_with_code(osl, personas.online_safety_lead)
    osl.follow(osl.menu("Training matrix", "School"))
    osl.follow(page.get_by_role("link", name="Engagement events"))
    groups = page.get_by_test_id("year-groups")
    expect(groups).to_contain_text("Year 3: no lesson yet this term")
    expect(page.get_by_test_id("external")).to_contain_text("has not had its lesson")

    osl.follow(page.get_by_role("link", name="Record an event"))
    page.get_by_label("What it was").select_option(label="Pupil online-safety lesson")
    page.get_by_label("Date held").fill(timezone.localdate().isoformat())
    page.get_by_label("Topic").fill("Who can see what you post")
    page.get_by_label("Year 3").check()
    page.get_by_role("textbox", name="Presenter").fill("A visiting speaker")
    page.get_by_label("Given by an external presenter").check()
    osl.submit(page.get_by_role("button", name="Record it"))
    expect(groups).to_contain_text("Year 3: lesson held")
    expect(groups).to_contain_text("Year 4: no lesson yet this term")
    expect(page.get_by_test_id("external")).to_contain_text("has had 1 lesson")
    expect(page.get_by_test_id("events")).to_contain_text("Who can see what you post")

    osl.follow(osl.menu("Training matrix", "School"))
    osl.follow(page.get_by_role("link", name="Training courses and settings"))
    osl.follow(page.get_by_role("link", name="Prevent awareness"))
    page.get_by_label("Months", exact=True).fill("36")
    osl.submit(page.get_by_role("button", name="Save"))
    expect(page.get_by_test_id("courses")).to_contain_text("36 months")
    assert Course.objects.get(school=personas.school, kind=Kind.PREVENT).months == 36
    osl.follow(page.get_by_role("link", name="Settings"))
    expect(page.get_by_label("Expiring within (days)")).to_have_value("30")
