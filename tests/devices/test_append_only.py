"""The chain of custody, releases, police hand-overs, searches and equipment movements refuse
UPDATE, DELETE and TRUNCATE in PostgreSQL itself."""

import pytest

from devices.models import CustodyEvent, EquipmentMovement, PoliceHandover, Release, Search
from devices.services import custody, equipment, evidence, searches
from tests.append_only import assert_append_only
from tests.factories import PupilFactory

pytestmark = pytest.mark.postgres


def test_the_chain_of_custody_and_its_records_are_append_only(
    personas, confiscated, guardian_of, quarantine
):
    device = confiscated()
    custody.device_release(
        actor=personas.office,
        device=device,
        guardian=guardian_of(device.pupil),
        signature="Casey Carer",
    )
    held = quarantine()
    evidence.evidence_to_police(actor=personas.dsl, device=held, reference="R", officer="PC 1")
    searches.search_record(
        actor=personas.head,
        pupil=PupilFactory(school=personas.school),
        of="pupil",
        authorised_by=personas.head,
        searched_by=personas.staff,
        witnessed_by=personas.office,
        reason="A vape",
        found="",
    )
    item = equipment.equipment_add(
        actor=personas.office,
        school=personas.school,
        asset_tag="LAP-1",
        kind="laptop",
        description="",
        encrypted=True,
    )
    equipment.equipment_check_out(actor=personas.office, item=item, member=personas.head)
    for model in (CustodyEvent, Release, PoliceHandover, Search, EquipmentMovement):
        row = model.objects.first()
        assert_append_only(model._meta.db_table, row.pk)
        assert model.objects.filter(pk=row.pk).exists()
