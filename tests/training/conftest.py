import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from training.models import Course, Kind
from training.services.common import settings_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def courses(personas) -> dict[str, Course]:
    """The personas' school's default catalogue, by kind."""
    settings_for(school=personas.school)
    return {c.kind: c for c in Course.objects.filter(school=personas.school)}


@pytest.fixture
def induction(courses) -> Course:
    return courses[Kind.INDUCTION]


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
