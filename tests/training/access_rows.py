"""The Training app's rows in the role × URL table
(tests/access_table.py gathers them), and the
objects its URLs name (tests/test_access_matrix.py builds them at both schools)."""

import datetime

from django.core.files.base import ContentFile

from tests.access_table import (
    CHAIR,
    DSL,
    EMPLOYED,
    GOVERNOR,
    HEAD,
    ONLINE_SAFETY_LEAD,
    Page,
    School,
)

TRAINEES = EMPLOYED | {GOVERNOR}
VERIFIERS = frozenset({ONLINE_SAFETY_LEAD, DSL, HEAD})
KEEPERS = frozenset({ONLINE_SAFETY_LEAD, HEAD})
# Each member is asked about a record of their own: another's is a 404 (tests/training).
OWN_RECORD = {"record": "training_own_record"}

SCHOOL_PAGES: dict[str, School] = {
    "training:mine": School(TRAINEES),
    "training:record_new": School(TRAINEES),
    "training:record_detail": School(TRAINEES, objects=OWN_RECORD),
    "training:certificate": School(TRAINEES, objects=OWN_RECORD),
    "training:record_verify": School(
        VERIFIERS, method="POST", objects={"record": "training_record"}
    ),
    "training:record_reject": School(
        VERIFIERS, method="POST", objects={"record": "training_record"}
    ),
    "training:to_verify": School(VERIFIERS),
    "training:matrix": School(VERIFIERS | {GOVERNOR, CHAIR}),
    "training:matrix_csv": School(VERIFIERS | {GOVERNOR, CHAIR}),
    "training:matrix_pdf": School(VERIFIERS | {GOVERNOR, CHAIR}),
    "training:courses": School(KEEPERS),
    "training:course_new": School(KEEPERS),
    "training:course_edit": School(KEEPERS, objects={"course": "training_course"}),
    "training:settings": School(KEEPERS),
    "training:engagement": School(VERIFIERS),
    "training:event_new": School(VERIFIERS),
    "training:session_new": School(VERIFIERS),
}
OTHER_PAGES: dict[str, Page] = {}

PDF = b"%PDF-1.4\n%%EOF\n"


def _record(school, course, user):
    from training.models import TrainingRecord

    record = TrainingRecord(
        school=school,
        course=course,
        person=user,
        completed_on=datetime.date(2026, 1, 5),
        provider="Local authority",
        added_by=user,
        certificate_type="application/pdf",
        certificate_size=len(PDF),
    )
    record.certificate.save("c.pdf", ContentFile(PDF), save=False)
    record.save()
    return record.code


def objects(school, office) -> dict[str, object]:
    """One of each object this app's URLs name, at `school` (`office` is its office member)."""
    from esafety.people.models import Membership
    from tests.test_access_matrix import PerPersona
    from training.models import Course
    from training.services.common import settings_for

    settings_for(school=school)
    course = Course.objects.filter(school=school).first()
    own = {}
    for m in Membership.objects.filter(school=school, is_active=True).select_related("user"):
        key = CHAIR if m.is_chair else m.role
        if m.role in TRAINEES and key not in own:
            own[key] = _record(school, course, m.user)
    if not own:  # the other school: its office user is not a member
        own["default"] = _record(school, course, office)
    return {
        "training_course": course.code,
        "training_record": own.get("office") or next(iter(own.values())),
        "training_own_record": PerPersona(own),
    }
