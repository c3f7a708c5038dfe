import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from incidents import services
from incidents.models import PupilRole
from tests.factories import PupilFactory

# A 1×1 PNG: real image bytes, whatever the file is called.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(name: str = "screenshot.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "messages.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def pupil(personas):
    return PupilFactory(
        school=personas.school,
        first_name="Zephyrine",
        last_name="Quarterbridge",
        year_group="Year 5",
    )


@pytest.fixture
def log_concern(personas, pupil):
    def _log(category="cyberbullying", actor=None, **kw):
        kw.setdefault("pupils", [services.InvolvedPupil(pupil, PupilRole.AFFECTED)])
        if category == "staff_conduct":
            # An allegation names the member of staff it is about: the service refuses it else.
            kw.setdefault("staff", [personas.office])
        return services.concern_log(
            actor=actor or personas.staff,
            school=personas.school,
            category=category,
            occurred_at=kw.pop("occurred_at", timezone.now() - datetime.timedelta(hours=1)),
            location=kw.pop("location", "Year 5 classroom"),
            what_happened=kw.pop("what_happened", "Unkind messages in a group chat."),
            **kw,
        )

    return _log


@pytest.fixture
def dsl_client(personas, client_for):
    return client_for(personas.dsl)


@pytest.fixture
def concern(log_concern):
    return log_concern("cyberbullying", files=[png()])
