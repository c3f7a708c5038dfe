import itertools
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from esafety.audit.chain import chain_breaks
from esafety.audit.models import AuditEvent
from esafety.audit.services import Entry, audit_record, audit_record_many
from esafety.audit.tasks import verify_chain
from tests.audit.helpers import behind_the_triggers_back


@pytest.fixture
def events(personas) -> list[AuditEvent]:
    """Five events each for two schools, interleaved, and two with no school."""
    made = []
    for i in range(5):
        for school, actor in (
            (personas.school, personas.dsl),
            (personas.other_school, personas.other_dsl),
        ):
            made.append(audit_record(actor=actor, school=school, action=f"test.step{i}"))
        if i % 2:
            made.append(audit_record(actor=None, school=None, action=f"user.step{i}"))
    return made


def verify(capsys) -> tuple[str, str]:
    call_command("verify_audit")
    out = capsys.readouterr()
    return out.out, out.err


def verify_broken(capsys) -> tuple[str, str]:
    with pytest.raises(CommandError) as e:
        call_command("verify_audit")
    # manage.py turns a CommandError into this exit status.
    assert e.value.returncode == 1
    out = capsys.readouterr()
    # Each problem is listed under its school; the summary goes to stderr as the error.
    return out.out, str(e.value)


def test_it_passes_an_intact_trail_and_says_how_much_it_checked(events, capsys):
    out, err = verify(capsys)
    assert "Audit trail intact: 12 events in 3 chain(s) checked." in out
    assert "Oakfield Primary (URN 100001): 5 events, chain intact" in out
    assert "Birchwood Primary (URN 100002): 5 events, chain intact" in out
    assert "No school (accounts and system events): 2 events, chain intact" in out
    assert err == ""


def test_it_passes_an_empty_trail(db, capsys):
    out, _ = verify(capsys)
    assert "Audit trail intact: 0 events" in out


def test_it_keeps_one_chain_per_school(events, personas):
    oakfield = list(AuditEvent.objects.filter(school=personas.school).order_by("id"))
    birchwood = list(AuditEvent.objects.filter(school=personas.other_school).order_by("id"))
    assert oakfield[0].prev_hash == "0" * 64
    assert birchwood[0].prev_hash == "0" * 64
    for earlier, later in itertools.pairwise(oakfield):
        assert later.prev_hash == earlier.hash
    # Interleaved ids, yet each school's chain skips the other's rows.
    assert oakfield[1].id - oakfield[0].id > 1
    assert chain_breaks() == []


def test_it_names_a_tampered_row(events, personas, capsys):
    victim = AuditEvent.objects.filter(school=personas.school).order_by("id")[2]
    with behind_the_triggers_back():
        AuditEvent.objects.filter(pk=victim.pk).update(summary="nothing to see here")

    out, err = verify_broken(capsys)
    assert (
        "Oakfield Primary (URN 100001): 5 events, 1 problem(s)\n"
        f"  event {victim.pk} (test.step2 at "
    ) in out
    assert "the row was changed after it was written" in out
    assert "Birchwood Primary (URN 100002): 5 events, chain intact" in out
    assert "1 problem(s) among 12 events" in err


def test_it_names_a_row_whose_hash_was_recomputed_too(events, personas, capsys):
    # A cleverer tamperer fixes the row's own hash: the next row no longer follows it.
    victim, after = AuditEvent.objects.filter(school=personas.school).order_by("id")[2:4]
    victim.summary = "nothing to see here"
    with behind_the_triggers_back():
        AuditEvent.objects.filter(pk=victim.pk).update(
            summary=victim.summary, hash=victim.compute_hash()
        )
    out, _ = verify_broken(capsys)
    assert f"event {after.pk} (test.step3" in out
    assert "does not follow the school's previous event" in out


def test_it_finds_a_row_deleted_in_the_middle(events, personas, capsys):
    rows = list(AuditEvent.objects.filter(school=personas.school).order_by("id"))
    with behind_the_triggers_back():
        AuditEvent.objects.filter(pk=rows[2].pk).delete()

    out, _ = verify_broken(capsys)
    assert f"event {rows[3].pk} (test.step3" in out
    assert "an event between them was deleted" in out
    assert f"the previous surviving event is {rows[1].pk}" in out
    assert [b.event_id for b in chain_breaks()] == [rows[3].pk]


def test_it_finds_a_deleted_first_row(events, personas):
    rows = list(AuditEvent.objects.filter(school=personas.other_school).order_by("id"))
    with behind_the_triggers_back():
        AuditEvent.objects.filter(pk=rows[0].pk).delete()
    assert [b.event_id for b in chain_breaks()] == [rows[1].pk]


def test_it_finds_a_row_moved_to_another_school(events, personas):
    row = AuditEvent.objects.filter(school=personas.school).order_by("id")[1]
    with behind_the_triggers_back():
        AuditEvent.objects.filter(pk=row.pk).update(school=personas.other_school)
    assert row.pk in {b.event_id for b in chain_breaks()}


def test_it_verifies_a_batch_written_at_once(personas):
    audit_record_many(
        actor=personas.office,
        school=personas.school,
        entries=[Entry(action="pupil.imported", object_code=str(i)) for i in range(1200)],
    )
    assert chain_breaks(chunk_size=500) == []


def test_the_nightly_task_logs_a_break_by_event(events, personas, caplog):
    assert verify_chain.apply().get() == 0
    victim = AuditEvent.objects.filter(school=personas.other_school).order_by("id")[4]
    with behind_the_triggers_back():
        AuditEvent.objects.filter(pk=victim.pk).update(action="test.rewritten")
    with caplog.at_level(logging.INFO, logger="esafety.audit.tasks"):
        assert verify_chain.apply().get() == 1
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"audit chain break at event {victim.pk}" in error.getMessage()
    assert f"school {personas.other_school.pk}" in error.getMessage()
    assert "12 events, 1 break(s)" in caplog.text
