"""The Devices app's rows in the role × URL table
(tests/access_table.py gathers them), and the
objects its URLs name (tests/test_access_matrix.py builds them at both schools)."""

import datetime

from django.utils import timezone

from devices.services import custody, equipment, evidence, exceptions
from esafety.people.models import Membership, Role
from tests.access_table import (
    DEPUTY_DSL,
    DSL,
    HEAD,
    OFFICE,
    ONLINE_SAFETY_LEAD,
    STAFF,
    Page,
    School,
)
from tests.factories import PupilFactory

HANDLERS = frozenset({STAFF, OFFICE, HEAD, DSL, DEPUTY_DSL, ONLINE_SAFETY_LEAD})
DESK = frozenset({OFFICE, HEAD})
REGISTER_READERS = frozenset({OFFICE, HEAD, DSL, DEPUTY_DSL})
SEARCH_READERS = frozenset({HEAD, DSL, DEPUTY_DSL})
EQUIPMENT = frozenset({OFFICE, HEAD, ONLINE_SAFETY_LEAD})
EVIDENCE = frozenset({DSL})
DEVICE = {"code": "device_confiscated"}
EVIDENCE_DEVICE = {"code": "device_evidence"}

SCHOOL_PAGES: dict[str, School] = {
    "devices:held": School(HANDLERS),
    "devices:desk": School(DESK),
    "devices:settings": School(DESK),
    "devices:check_in": School(DESK, method="POST", objects={"pupil": "device_pupil"}),
    "devices:hand_back": School(DESK, method="POST", objects={"pupil": "device_pupil"}),
    "devices:confiscate": School(HANDLERS),
    "devices:evidence_new": School(EVIDENCE, method="POST"),
    "devices:exceptions": School(REGISTER_READERS),
    "devices:exception_new": School(DESK),
    "devices:exception": School(DESK, objects={"code": "device_exception"}),
    "devices:exception_end": School(DESK, method="POST", objects={"code": "device_exception"}),
    "devices:searches": School(SEARCH_READERS),
    "devices:search_new": School(HANDLERS),
    "devices:equipment": School(EQUIPMENT),
    "devices:equipment_new": School(EQUIPMENT),
    "devices:camera_wipe": School(EQUIPMENT, method="POST"),
    "devices:equipment_out": School(EQUIPMENT, method="POST", objects={"code": "device_item"}),
    "devices:equipment_in": School(EQUIPMENT, method="POST", objects={"code": "device_item"}),
    "devices:device": School(HANDLERS, objects=DEVICE),
    "devices:move": School(HANDLERS, method="POST", objects=DEVICE),
    "devices:release": School(HANDLERS, objects=DEVICE),
    "devices:custody_pdf": School(HANDLERS, objects=DEVICE),
    # Evidence: the DSL's only; anyone else asking is told it does not exist (404, in the
    # app's own tests), so these rows are asked about a device held as evidence.
    "devices:police": School(EVIDENCE, method="POST", objects=EVIDENCE_DEVICE),
    "devices:evidence_release": School(EVIDENCE, objects=EVIDENCE_DEVICE),
}
OTHER_PAGES: dict[str, Page] = {}


def objects(school, office) -> dict[str, object]:
    """One of each object this app's URLs name, at `school` (`office` is its office member)."""
    from incidents import services as incidents_services

    # The school's own DSL (each school of the test has one), so no member is added here.
    dsl = Membership.objects.filter(school=school, role=Role.DSL).first().user
    today = timezone.localdate()
    pupil = PupilFactory(school=school)
    exception = exceptions.exception_grant(
        actor=office,
        pupil=pupil,
        reason="walks_home",
        detail="",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=None,
        review_due=today + datetime.timedelta(days=30),
    )
    device = custody.device_confiscate(
        actor=dsl,
        pupil=PupilFactory(school=school),
        kind="phone",
        description="Black phone",
        reason="Used in a lesson",
        held_at="Office safe",
    )
    concern = incidents_services.concern_log(
        actor=office,
        school=school,
        category="nudes",
        occurred_at=timezone.now(),
        location="Corridor",
        what_happened="A photo was shared.",
        pupils=[incidents_services.InvolvedPupil(PupilFactory(school=school), "affected")],
        files=[],
    )
    held = evidence.evidence_quarantine(
        actor=dsl,
        school=school,
        token=evidence.link_token(school=school, user=dsl, concern_code=concern.code),
        kind="phone",
        description="White phone",
        sealed_bag="EB-1",
        held_at="Cabinet",
        reason="May hold an image",
    )
    item = equipment.equipment_add(
        actor=office,
        school=school,
        asset_tag="CAM-01",
        kind="camera",
        description="",
        encrypted=False,
    )
    return {
        "device_pupil": pupil.code,
        "device_exception": exception.code,
        "device_confiscated": device.code,
        "device_evidence": held.code,
        "device_item": item.code,
    }
