"""A concern's record refuses UPDATE, DELETE and TRUNCATE in PostgreSQL itself."""

import pytest
from django.db import DatabaseError, transaction

from incidents import services
from incidents.models import Referral, TimelineEntry
from tests.append_only import assert_append_only

pytestmark = pytest.mark.postgres


def test_the_timeline_and_referrals_are_append_only(personas, log_concern):
    concern = log_concern("cyberbullying")
    services.referral_record(
        actor=personas.dsl, concern=concern, referred=False, reasons="Handled in school."
    )
    entry = TimelineEntry.objects.filter(concern=concern).first()
    referral = Referral.objects.get(concern=concern)
    assert_append_only("incidents_timelineentry", entry.pk)
    assert_append_only("incidents_referral", referral.pk)
    assert TimelineEntry.objects.filter(pk=entry.pk).exists()


def test_the_orm_cannot_rewrite_an_entry(personas, log_concern):
    concern = log_concern("cyberbullying")
    entry = TimelineEntry.objects.filter(concern=concern).first()
    entry.text = "rewritten"
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
    entry.refresh_from_db()
    assert entry.text != "rewritten"
