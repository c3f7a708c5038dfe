"""Decisions refuse UPDATE, DELETE and TRUNCATE in PostgreSQL itself."""

import pytest

from consent.models import Choice, Decision, Method
from consent.services.decisions import decision_record
from tests.append_only import assert_append_only
from tests.consent.conftest import child_with_guardian

pytestmark = pytest.mark.postgres


def test_decisions_are_append_only(personas, consent):
    pupil, guardian = child_with_guardian(personas.school)
    decision_record(
        actor=personas.office,
        pupil=pupil,
        purpose=consent.website,
        choice=Choice.GRANTED,
        method=Method.PAPER,
        guardian=guardian,
    )
    decision = Decision.objects.get()
    assert_append_only("consent_decision", decision.pk)
    assert Decision.objects.filter(pk=decision.pk, choice="granted").exists()
