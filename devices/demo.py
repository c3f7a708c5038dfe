"""Demo devices for the fictional school, through the services: the exceptions register, this
morning's hand-ins, confiscations held and released, a search, a phone quarantined as evidence
for the demo's sharing-nudes concern, and the school's equipment. Every name is invented."""

import datetime

from django.apps import apps
from django.utils import timezone

from devices.models import DeviceKind, EquipmentKind, ExceptionReason
from devices.services.custody import device_confiscate, device_move, device_release
from devices.services.desk import phone_check_in
from devices.services.equipment import equipment_add, equipment_check_out
from devices.services.evidence import evidence_quarantine, link_token
from devices.services.exceptions import exception_grant
from devices.services.searches import search_record
from esafety.people.models import Pupil, Role, School, User


def _nudes_concern_code(school: School):
    # The demo's sharing-nudes concern, if the concerns app made one. Seed data only: the app
    # itself never reads another app's records (the concern's page gives the DSL a link token).
    if not apps.is_installed("incidents"):
        return None
    concern = apps.get_model("incidents", "Concern")
    return (
        concern.objects.filter(school=school, category="nudes")
        .values_list("code", flat=True)
        .first()
    )


def seed_devices(*, school: School, people: dict[str, User], pupils: list[Pupil]) -> None:
    office, head, dsl = people[Role.OFFICE], people[Role.HEAD], people[Role.DSL]
    staff = people[Role.STAFF]
    today = timezone.localdate()
    year6 = [p for p in pupils if p.year_group.endswith("6")] or pupils
    # A tiny demo (three pupils) still shows every part, a pupil sometimes playing two parts.
    walkers = year6[:6] if len(pupils) >= 12 else pupils[:1]
    for n, pupil in enumerate(walkers):
        exception_grant(
            actor=head,
            pupil=pupil,
            reason=ExceptionReason.WALKS_HOME,
            detail="Walks home alone; parents asked for a phone for the journey.",
            starts_on=today - datetime.timedelta(days=60),
            ends_on=None,
            review_due=today + datetime.timedelta(days=7 if n == 0 else 90),
        )
    # The rest of the school, for a carer, a medical need, two breaches and a search (the demo
    # may have as few as 20 pupils).
    rest = [p for p in pupils if p not in walkers] or pupils
    rest = [rest[i % len(rest)] for i in range(5)]
    carer = year6[6] if len(year6) > 6 and len(pupils) >= 12 else rest.pop(0)
    exception_grant(
        actor=head,
        pupil=carer,
        reason=ExceptionReason.YOUNG_CARER,
        detail="Young carer: may need to be reached by the family at lunchtime.",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=None,
        review_due=today + datetime.timedelta(days=60),
    )
    medical = rest[0]
    if len(pupils) >= 12:  # a tiny demo has no pupil to spare for it
        exception_grant(
            actor=head,
            pupil=medical,
            reason=ExceptionReason.MEDICAL,
            detail="Glucose monitor runs on the phone (individual healthcare plan).",
            starts_on=today - datetime.timedelta(days=200),
            ends_on=None,
            review_due=today + datetime.timedelta(days=120),
        )
    # This morning: five of the seven phones are in, one of them cracked.
    for n, pupil in enumerate([*walkers[:4], carer]):
        phone_check_in(actor=office, pupil=pupil, condition="Screen cracked" if n == 2 else "")

    # Phones found on pupils with no exception: breaches.
    held = device_confiscate(
        actor=staff,
        pupil=rest[1],
        kind=DeviceKind.PHONE,
        description="Black phone in a blue case",
        reason="Used in a lesson; the school is phone-free.",
        held_at="Office safe",
    )
    device_move(actor=office, device=held, place="Office safe, top shelf")
    returned = device_confiscate(
        actor=staff,
        pupil=rest[2],
        kind=DeviceKind.WATCH,
        description="Smart watch, pink strap",
        reason="Messages during a test.",
        held_at="Office safe",
    )
    guardian = rest[2].guardians.first()
    device_release(
        actor=office,
        device=returned,
        guardian=guardian,
        signature=guardian.full_name if guardian and guardian.full_name else "A Parent",
    )
    search_record(
        actor=head,
        pupil=rest[3],
        of="pupil",
        authorised_by=head,
        searched_by=staff,
        witnessed_by=office,
        reason="Reported to have a vape in their bag.",
        found="Nothing",
    )

    concern_code = _nudes_concern_code(school)
    if concern_code is not None:
        evidence_quarantine(
            actor=dsl,
            school=school,
            token=link_token(school=school, user=dsl, concern_code=concern_code),
            kind=DeviceKind.PHONE,
            description="White phone, no case, switched off when received",
            sealed_bag="EB-2041",
            held_at="DSL's locked cabinet",
            reason="May hold an image shared in the class group chat.",
        )

    for tag, kind, description, encrypted in (
        ("CAM-01", EquipmentKind.CAMERA, "Class camera, Year 1", False),
        ("CAM-02", EquipmentKind.CAMERA, "Class camera, Year 5", False),
        ("TAB-01", EquipmentKind.TABLET, "iPad, Year 3", True),
        ("LAP-07", EquipmentKind.LAPTOP, "Head's laptop", True),
        ("LAP-09", EquipmentKind.LAPTOP, "Spare laptop", False),
    ):
        item = equipment_add(
            actor=office,
            school=school,
            asset_tag=tag,
            kind=kind,
            description=description,
            encrypted=encrypted,
        )
        if tag == "LAP-07":
            equipment_check_out(actor=office, item=item, member=head)
