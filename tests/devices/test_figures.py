"""The governors' figures for devices: counts only, never a name; the chain prints as a PDF."""

import datetime
import json

from django.urls import reverse
from django.utils import timezone

from devices.selectors.figures import figures
from devices.services import desk, equipment, evidence
from esafety.audit.models import AuditEvent
from tests.factories import PupilFactory


def test_the_figures_count_the_period_and_name_no_one(personas, grant, confiscated, quarantine):
    pupils = [grant(pupil=PupilFactory(school=personas.school, first_name="Wren")).pupil]
    pupils.append(grant().pupil)
    grant(reason="medical")
    desk.phone_check_in(actor=personas.office, pupil=pupils[0])
    confiscated()
    confiscated(pupil=pupils[1])
    evidence.evidence_to_police(
        actor=personas.dsl, device=quarantine(), reference="R1", officer="PC 1"
    )
    item = equipment.equipment_add(
        actor=personas.office,
        school=personas.school,
        asset_tag="LAP-1",
        kind="laptop",
        description="",
        encrypted=False,
    )
    equipment.equipment_check_out(actor=personas.office, item=item, member=personas.head)
    today = timezone.localdate()
    data = figures(school=personas.school, start=today - datetime.timedelta(days=7), end=today)
    assert data["hand_in_completeness"] == [
        {"day": today.isoformat(), "expected": 2, "handed_in": 1, "percent": 50}
    ]
    assert (data["confiscations"], data["breaches"]) == (2, 1)
    assert (data["evidence_held"], data["evidence_to_police"]) == (0, 1)
    assert (data["equipment_off_site"], data["equipment_unencrypted"]) == (1, 1)
    assert "Wren" not in json.dumps(data)


def test_the_chain_prints_as_a_pdf_and_the_printing_is_audited(personas, client_for, quarantine):
    device = quarantine()
    response = client_for(personas.dsl).get(
        reverse("devices:custody_pdf", args=[personas.school.code, device.code])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="device.chain_printed", object_code=device.code
    ).exists()
