"""A concern's record refuses UPDATE, DELETE and TRUNCATE in PostgreSQL itself; a procedure
step allows one UPDATE, from open to recorded."""

import pytest
from django.db import DatabaseError, connection, transaction

from incidents import services
from incidents.models import ConcernStaff, ProcedureStep, Referral, StepState, TimelineEntry
from tests.append_only import assert_append_only, refused

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


def _step(concern, key):
    return ProcedureStep.objects.get(concern=concern, key=key)


def test_the_staff_involved_are_append_only(personas, log_concern):
    # Removing the row would unhide the concern from the member of staff it is about.
    concern = log_concern("cyberbullying", staff=[personas.office])
    link = ConcernStaff.objects.get(concern=concern)
    assert_append_only("incidents_concernstaff", link.pk)
    assert refused(
        "UPDATE incidents_concernstaff SET user_id = %s WHERE id = %s", [personas.staff.pk, link.pk]
    )
    assert ConcernStaff.objects.get(pk=link.pk).user == personas.office


def test_a_step_is_never_removed_and_an_open_step_changes_only_to_recorded(personas, log_concern):
    concern = log_concern("cyberbullying")
    step = _step(concern, "evidence")
    assert_append_only("incidents_procedurestep", step.pk)
    assert refused(
        "UPDATE incidents_procedurestep SET label = 'Something else' WHERE id = %s", [step.pk]
    )
    assert refused("UPDATE incidents_procedurestep SET required = false WHERE id = %s", [step.pk])
    # The one change allowed: open to done (or not applicable), with who, when and the note.
    services.step_complete(
        actor=personas.dsl, concern=concern, step=step, done=True, note="Screenshots kept."
    )
    services.step_complete(
        actor=personas.dsl,
        concern=concern,
        step=_step(concern, "removal"),
        done=False,
        note="Nothing was posted publicly.",
    )
    assert _step(concern, "evidence").state == StepState.DONE
    assert _step(concern, "removal").state == StepState.NOT_APPLICABLE


@pytest.mark.parametrize(
    "change",
    [
        "state = 'open', done_by_id = NULL, done_at = NULL, note = ''",
        "state = 'not_applicable'",
        "note = 'rewritten'",
        "done_at = now()",
    ],
)
def test_a_recorded_step_is_never_changed_back_or_rewritten(personas, log_concern, change):
    concern = log_concern("cyberbullying")
    services.step_complete(
        actor=personas.dsl,
        concern=concern,
        step=_step(concern, "evidence"),
        done=True,
        note="Screenshots kept.",
    )
    step = _step(concern, "evidence")
    assert refused(f"UPDATE incidents_procedurestep SET {change} WHERE id = %s", [step.pk])  # noqa: S608
    assert _step(concern, "evidence").note == "Screenshots kept."


@pytest.mark.django_db
def test_the_flush_guard_finds_the_new_triggers():
    # tests/conftest.py disables only triggers named like this around the suite's own flush.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
            ["%append_only%"],
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert {"incidents_concernstaff", "incidents_procedurestep"} <= tables
