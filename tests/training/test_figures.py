"""Training's governors' figures: shares compliant per course and group, the DSL's and the
deputy's formal training dates by role, events held. Counts and roles, never a name."""

import datetime

import pytest
from django.utils import timezone

from esafety.contributions import figures as all_figures
from training.compliance import figures
from training.models import EventKind, Kind, TrainingRecord
from training.services.events import event_record

pytestmark = pytest.mark.django_db


def test_it_counts_without_names(personas, courses):
    today = timezone.localdate()
    for person in (personas.staff, personas.office):
        TrainingRecord.objects.create(
            school=personas.school,
            course=courses[Kind.INDUCTION],
            person=person,
            completed_on=today,
            provider="LA",
            added_by=person,
            verified_at=timezone.now(),
            verified_by=personas.head,
        )
    TrainingRecord.objects.create(
        school=personas.school,
        course=courses[Kind.DSL_FORMAL],
        person=personas.dsl,
        completed_on=datetime.date(2025, 6, 1),
        provider="LA",
        added_by=personas.dsl,
        verified_at=timezone.now(),
        verified_by=personas.head,
    )
    event_record(
        actor=personas.head,
        school=personas.school,
        kind=EventKind.PARENT_EVENING,
        held_on=today,
        topic="Apps",
        presenter="Owen",
        attendance=12,
    )
    result = figures(school=personas.school, start=today - datetime.timedelta(days=90), end=today)
    induction = next(c for c in result.courses if c.title == "Safeguarding induction")
    assert (induction.required, induction.compliant) == (6, 2)
    assert induction.percent == 33
    staff = next(g for g in result.groups if g.group == "Staff")
    assert (staff.people, staff.compliant) == (6, 0)
    assert [(d.role, d.formal_training_on) for d in result.dsl] == [
        ("Deputy DSL", None),
        ("Designated safeguarding lead", datetime.date(2025, 6, 1)),
    ]
    assert result.events == {EventKind.PARENT_EVENING: 1}
    text = repr(result)
    for person in (personas.staff, personas.dsl, personas.deputy_dsl):
        assert person.full_name not in text and person.email not in text
    assert "training" in all_figures(school=personas.school, start=today, end=today)
