import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from devices.services import custody, evidence, exceptions
from esafety.people.models import Guardian
from incidents import services as incidents_services
from tests.factories import PupilFactory
from tests.incidents.conftest import PNG


@pytest.fixture
def grant(personas):
    def _grant(pupil=None, reason="walks_home", **kw):
        pupil = pupil or PupilFactory(school=personas.school)
        today = timezone.localdate()
        return exceptions.exception_grant(
            actor=personas.head,
            pupil=pupil,
            reason=reason,
            detail=kw.get("detail", ""),
            starts_on=kw.get("starts_on", today - datetime.timedelta(days=10)),
            ends_on=kw.get("ends_on"),
            review_due=kw.get("review_due", today + datetime.timedelta(days=60)),
        )

    return _grant


@pytest.fixture
def confiscated(personas):
    def _make(pupil=None, actor=None, **kw):
        pupil = pupil or PupilFactory(school=personas.school)
        return custody.device_confiscate(
            actor=actor or personas.staff,
            pupil=pupil,
            kind="phone",
            description="Black phone",
            reason="Used in a lesson",
            held_at="Office safe",
            **kw,
        )

    return _make


@pytest.fixture
def guardian_of():
    def _make(pupil, email="carer@example.test", name="Casey Carer"):
        return Guardian.objects.create(pupil=pupil, email=email, full_name=name)

    return _make


def log_concern(personas, category="nudes", staff=()):
    return incidents_services.concern_log(
        actor=personas.staff,
        school=personas.school,
        category=category,
        occurred_at=timezone.now(),
        location="Corridor",
        what_happened="Something happened online.",
        pupils=[]
        if staff
        else [incidents_services.InvolvedPupil(PupilFactory(school=personas.school), "affected")],
        staff=list(staff),
        files=[SimpleUploadedFile("shot.png", PNG, content_type="image/png")] if staff else [],
    )


@pytest.fixture
def quarantine(personas):
    def _make(concern=None, bag="EB-1", actor=None):
        concern = concern or log_concern(personas)
        actor = actor or personas.dsl
        return evidence.evidence_quarantine(
            actor=actor,
            school=personas.school,
            token=evidence.link_token(
                school=personas.school, user=actor, concern_code=concern.code
            ),
            kind="phone",
            description="White phone",
            sealed_bag=bag,
            held_at="DSL cabinet",
            reason="May hold an image",
        )

    return _make
