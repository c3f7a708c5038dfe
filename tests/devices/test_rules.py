"""The rules of devices, met by every caller because the services enforce them."""

import pytest
from django.core.exceptions import ValidationError

from devices.models import CustodyEvent, Device, DeviceStatus, HandIn, PhoneException, Release
from devices.services import custody, desk, evidence, exceptions
from devices.services.common import DeviceError
from esafety.notify.models import Message
from tests.factories import PupilFactory
from tests.notify.helpers import assert_no_pupil_names_in_outbox


def test_a_medical_exception_cannot_be_withdrawn(personas, grant):
    medical = grant(reason="medical")
    with pytest.raises(DeviceError, match="reasonable adjustment"):
        exceptions.exception_end(actor=personas.head, exception=medical)
    medical.refresh_from_db()
    assert medical.ended_on is None
    walker = grant()
    exceptions.exception_end(actor=personas.head, exception=walker)
    walker.refresh_from_db()
    assert walker.ended_on is not None


def test_a_medical_exception_phone_warns_before_confiscation(personas, grant, confiscated):
    medical = grant(reason="medical")
    with pytest.raises(custody.MedicalPhoneWarning, match="medical need"):
        confiscated(pupil=medical.pupil)
    assert not Device.objects.exists()
    device = confiscated(pupil=medical.pupil, medical_confirmed=True)
    assert device.held and not device.breach


def test_a_phone_found_without_an_exception_is_a_breach(personas, grant, confiscated):
    assert confiscated().breach
    assert not confiscated(pupil=grant().pupil).breach


def test_the_desk_takes_only_pupils_with_an_exception_and_not_medical_ones(personas, grant):
    with pytest.raises(DeviceError, match="breach"):
        desk.phone_check_in(actor=personas.office, pupil=PupilFactory(school=personas.school))
    with pytest.raises(DeviceError, match="stays with them"):
        desk.phone_check_in(actor=personas.office, pupil=grant(reason="medical").pupil)
    pupil = grant().pupil
    desk.phone_check_in(actor=personas.office, pupil=pupil, condition="Cracked screen")
    with pytest.raises(DeviceError, match="already in"):
        desk.phone_check_in(actor=personas.office, pupil=pupil)
    desk.phone_hand_back(actor=personas.office, pupil=pupil)
    with pytest.raises(DeviceError, match="already"):
        desk.phone_hand_back(actor=personas.office, pupil=pupil)
    hand_in = HandIn.objects.get()
    assert hand_in.condition == "Cracked screen" and hand_in.returned_by == personas.office


def test_release_is_refused_to_no_one_or_without_a_signature(personas, confiscated, guardian_of):
    device = confiscated()
    guardian = guardian_of(device.pupil)
    with pytest.raises(ValidationError) as e:
        custody.device_release(actor=personas.office, device=device, guardian=None, signature="X Y")
    assert "other_name" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        custody.device_release(
            actor=personas.office, device=device, guardian=None, other_name="Aunt", signature="Ann"
        )
    assert "other_reason" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        custody.device_release(
            actor=personas.office, device=device, guardian=guardian, signature="   "
        )
    assert "signature" in e.value.error_dict
    other = guardian_of(PupilFactory(school=personas.school), email="x@example.test")
    with pytest.raises(ValidationError):
        custody.device_release(actor=personas.office, device=device, guardian=other, signature="Al")
    device.refresh_from_db()
    assert device.held and not Release.objects.exists()
    custody.device_release(
        actor=personas.office, device=device, guardian=guardian, signature="Casey Carer"
    )
    device.refresh_from_db()
    assert device.status == DeviceStatus.RELEASED
    release = Release.objects.get()
    assert (release.to_name, release.handed_over_by) == ("Casey Carer", personas.office)
    assert list(device.custody.values_list("kind", flat=True)) == ["taken", "returned"]
    with pytest.raises(DeviceError, match="no longer held"):
        custody.device_release(
            actor=personas.office, device=device, guardian=guardian, signature="Casey Carer"
        )


def test_a_parent_is_told_a_device_is_waiting_without_naming_the_child(
    personas, confiscated, guardian_of
):
    pupil = PupilFactory(school=personas.school, first_name="Zara", last_name="Quill")
    guardian_of(pupil)
    confiscated(pupil=pupil)
    message = Message.objects.get(to_email="carer@example.test")
    assert "waiting" in message.subject
    assert "Zara" not in message.subject + message.body
    assert_no_pupil_names_in_outbox(personas.school)


def test_the_office_cannot_release_an_evidence_device_and_the_dsl_only_with_a_note(
    personas, quarantine
):
    device = quarantine()
    with pytest.raises(DeviceError, match="only the DSL"):
        custody.device_release(
            actor=personas.office,
            device=device,
            guardian=None,
            other_name="A",
            other_reason="B",
            signature="Al Bee",
        )
    for who in (personas.office, personas.head, personas.deputy_dsl):
        with pytest.raises(DeviceError, match="Only the DSL"):
            evidence.evidence_release(
                actor=who,
                device=device,
                to_name="Parent",
                police_advice="Return it",
                signature="Pat Parent",
            )
    with pytest.raises(ValidationError) as e:
        evidence.evidence_release(
            actor=personas.dsl,
            device=device,
            to_name="Parent",
            police_advice="  ",
            signature="Pat Parent",
        )
    assert "police_advice" in e.value.error_dict
    device.refresh_from_db()
    assert device.held
    evidence.evidence_release(
        actor=personas.dsl,
        device=device,
        to_name="Pat Parent",
        police_advice="PC 123 said no offence; return it",
        signature="Pat Parent",
    )
    device.refresh_from_db()
    assert device.status == DeviceStatus.RELEASED
    assert Release.objects.get().police_advice.startswith("PC 123")


def test_only_the_dsl_hands_evidence_to_the_police_with_a_reference(personas, quarantine):
    device = quarantine()
    with pytest.raises(DeviceError):
        evidence.evidence_to_police(
            actor=personas.head, device=device, reference="R1", officer="PC 1"
        )
    with pytest.raises(ValidationError):
        evidence.evidence_to_police(actor=personas.dsl, device=device, reference="", officer="PC 1")
    evidence.evidence_to_police(
        actor=personas.dsl, device=device, reference="CAD 4411", officer="PC 2207 Jo Bell"
    )
    device.refresh_from_db()
    assert device.status == DeviceStatus.WITH_POLICE
    last = CustodyEvent.objects.filter(device=device).last()
    assert (last.kind, last.person) == ("police", "PC 2207 Jo Bell")


def test_evidence_needs_a_link_from_the_concern_page_of_this_school_and_person(
    personas, quarantine
):
    from tests.devices.conftest import log_concern

    concern = log_concern(personas)
    token = evidence.link_token(
        school=personas.school, user=personas.dsl, concern_code=concern.code
    )
    for school, token_ in ((personas.school, token + "x"), (personas.other_school, token)):
        with pytest.raises(DeviceError, match="concern"):
            evidence.concern_from_token(school=school, user=personas.dsl, token=token_)
    with pytest.raises(DeviceError):
        evidence.concern_from_token(school=personas.school, user=personas.head, token=token)
    assert (
        evidence.concern_from_token(school=personas.school, user=personas.dsl, token=token)
        == concern.code
    )
    quarantine(concern, bag="EB-7")
    with pytest.raises(ValidationError):
        quarantine(concern, bag="EB-7")


def test_an_exception_cannot_end_before_it_starts(personas, grant):
    import datetime

    with pytest.raises(ValidationError):
        grant(ends_on=datetime.date(2000, 1, 1))
    assert not PhoneException.objects.exists()
