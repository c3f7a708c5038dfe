"""The scale data set gets consent for every pupil, with uses and take-downs, and the audit
chain stays whole."""

import io

import pytest
from django.core.management import call_command

from consent.models import Decision, Publication, Purpose, TakeDown
from esafety.audit.chain import chain_breaks
from esafety.people.models import Guardian, Pupil, School

pytestmark = pytest.mark.django_db


def test_every_pupil_with_a_guardian_has_consent_decisions():
    call_command("seed_scale", "--schools", "2", "--factor", "0.05", stdout=io.StringIO())
    for school in School.objects.all():
        consent = Purpose.objects.filter(school=school, lawful_basis="consent")
        pupils = set(
            Guardian.objects.filter(pupil__school=school).values_list("pupil_id", flat=True)
        )
        assert pupils
        for purpose in consent:
            decided = set(
                Decision.objects.filter(purpose=purpose).values_list("pupil_id", flat=True)
            )
            assert decided == pupils
        assert Publication.objects.filter(school=school).exists()
        assert Pupil.objects.filter(school=school).count() == 30
    assert TakeDown.objects.exists()
    assert (
        Publication.objects.filter(original__isnull=False).count()
        == Publication.objects.filter(reshares__isnull=False).count()
    )
    assert chain_breaks() == []
