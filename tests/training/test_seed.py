"""The demo school shows training working (records of every colour, one to check, a briefing
with attendance, a term's events); the scale data set has it per school, with a whole audit
chain."""

import io

import pytest
from django.core.management import call_command

from esafety.audit.chain import chain_report
from esafety.people.models import School
from training.models import Course, EngagementEvent, Session, TrainingRecord
from training.selectors.matrix import build_matrix
from training.validity import State

pytestmark = pytest.mark.django_db


def test_the_demo_school_has_training_of_every_colour():
    call_command("seed_demo", "--pupils", "60", "--mfa-on-first-sign-in", stdout=io.StringIO())
    school = School.objects.get(urn="999001")
    matrix = build_matrix(school=school)
    states = {state for counts in matrix.totals for state in counts}
    assert states == {State.VALID, State.EXPIRING, State.EXPIRED, State.MISSING}
    assert TrainingRecord.objects.filter(school=school, verified_at__isnull=True).count() == 1
    session = Session.objects.get(school=school)
    assert session.records.count() >= 5
    assert EngagementEvent.objects.filter(school=school).count() == 3
    # The governor is in it, and the read-and-sign column is KCSIE Part 1, signed by some.
    assert any(r.person.is_governor for r in matrix.rows)
    [signed] = [i for i, c in enumerate(matrix.columns) if c.kind == "document"]
    assert matrix.columns[signed].title == "Keeping children safe in education: Part 1"
    assert set(matrix.totals[signed]) == {State.VALID, State.MISSING}
    assert all(r.certificate for r in TrainingRecord.objects.filter(session__isnull=True))


def test_the_scale_data_set_has_training_per_school_with_a_whole_chain():
    call_command("seed_scale", "--schools", "2", "--factor", "0.01", stdout=io.StringIO())
    for school in School.objects.all():
        assert Course.objects.filter(school=school).count() == 7
        records = TrainingRecord.objects.filter(school=school)
        assert records.filter(session__isnull=False).exists()
        matrix = build_matrix(school=school)
        assert matrix.rows and any(c["valid"] for c in matrix.totals)
        assert EngagementEvent.objects.filter(school=school).exists()
    assert chain_report().breaks == []
