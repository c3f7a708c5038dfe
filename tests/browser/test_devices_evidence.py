"""The DSL quarantines a phone from a sharing-nudes concern's page, hands it to the police, and
prints its chain of custody, on a tablet-sized screen with axe checking every page."""

import datetime

import pytest
from django.utils import timezone

from devices.models import CustodyEvent, Device, DeviceStatus
from incidents import services
from incidents.models import PupilRole
from tests.browser.test_dsl_works_concern import sign_in_with_code
from tests.factories import PupilFactory

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}


def test_the_dsl_quarantines_a_device_and_hands_it_to_the_police(open_visitor, personas):
    pupil = PupilFactory(school=personas.school, first_name="Rowan", last_name="Teal")
    concern = services.concern_log(
        actor=personas.staff,
        school=personas.school,
        category="nudes",
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        location="Corridor",
        what_happened="A photo was shared in a group chat; the phone is in the office.",
        pupils=[services.InvolvedPupil(pupil, PupilRole.AFFECTED)],
        files=[],
    )
    dsl = open_visitor(TABLET, has_touch=True)
    page = dsl.page
    sign_in_with_code(dsl, personas.dsl)
    dsl.visit(f"/s/{personas.school.code}/concerns/{concern.code}/")
    panel = page.get_by_test_id("evidence-panel")
    assert "No device is held as evidence" in panel.inner_text()
    panel.locator("summary").click()
    panel.get_by_label("Description").fill("White phone, no case")
    panel.get_by_label("Sealed bag number").fill("EB-3301")
    panel.get_by_label("Where it is locked away").fill("DSL's locked cabinet")
    panel.get_by_label("Why it is held").fill("May hold the shared image")
    dsl.submit(panel.get_by_role("button", name="Quarantine the device"))
    assert "Do not switch it on" in page.get_by_test_id("evidence-rules").inner_text()

    page.get_by_label("Police reference").fill("CAD 4411/26")
    page.get_by_label("Officer's name and number").fill("PC 2207 Jo Bell")
    dsl.submit(page.get_by_role("button", name="Record the hand-over to the police"))
    assert page.get_by_test_id("device-status").inner_text() == "Handed to the police"
    chain = page.get_by_test_id("chain").inner_text()
    assert "Taken" in chain and "Handed to the police" in chain and "PC 2207 Jo Bell" in chain

    # The chain prints (a PDF is a download: fetched with the DSL's session).
    href = page.get_by_role("link", name="Print the chain (PDF)").get_attribute("href")
    response = page.request.get(dsl.url(href))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    assert 'filename="custody-' in response.headers["content-disposition"]
    device = Device.objects.get()
    assert device.status == DeviceStatus.WITH_POLICE and device.concern_code == concern.code
    assert list(CustodyEvent.objects.values_list("kind", flat=True)) == ["taken", "police"]
