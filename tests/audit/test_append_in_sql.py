"""PostgreSQL appends audit events itself (audit_append, migration 0006) when their text is
text it hashes as Python does: the hashes it writes must be the ones Python's row_hash gives
for the rows as read back, its chain must join Python's, and anything else must be left to
Python."""

import datetime
import itertools

import pytest
from django.db import connection, transaction
from django.utils import timezone

from esafety import context
from esafety.audit import services
from esafety.audit.chain import chain_breaks
from esafety.audit.models import AuditEvent
from esafety.audit.services import Entry, audit_record_many

pytestmark = pytest.mark.postgres

# Text PostgreSQL's to_json escapes as Python's json does.
ASCII = [
    "plain words",
    'a "quoted" word, a back\\slash and a /slash',
    "tab\there, a new line\nand a return\r, a bell \x07 and escape \x1b",
    "",
]
# Text it does not: Python escapes DEL and everything above it.
NOT_ASCII = ["Zoë’s form", "a delete character \x7f", "an emoji 🙂"]


@pytest.fixture
def request_from():
    tokens = []

    def _set(ip, request_id="ab" * 16):
        tokens.append(context.set_request(context.RequestInfo(request_id, ip)))

    yield _set
    for token in reversed(tokens):
        context.reset_request(token)


@pytest.fixture
def in_python(monkeypatch) -> list[int]:
    """The number of events each write left to Python."""
    counts: list[int] = []
    real = services._appended_in_python

    def counted(events):
        counts.append(len(events))
        return real(events)

    monkeypatch.setattr(services, "_appended_in_python", counted)
    return counts


def _entries(summaries):
    return [
        Entry(action=f"test.read{i}", object_type="test.thing", object_code=f"T-{i}", summary=s)
        for i, s in enumerate(summaries)
    ]


@pytest.mark.parametrize("ip", ["203.0.113.7", "2001:db8::1", "::ffff:203.0.113.7", None])
@pytest.mark.parametrize("whole_second", [False, True])
def test_its_hashes_are_the_ones_python_gives_the_rows_read_back(
    personas, request_from, in_python, monkeypatch, ip, whole_second
):
    request_from(ip)
    if whole_second:
        at = timezone.now().replace(microsecond=0)
        monkeypatch.setattr(services.timezone, "now", lambda: at)
    for actor in (personas.dsl, None):
        written = audit_record_many(actor=actor, school=personas.school, entries=_entries(ASCII))
        for event in written:
            stored = AuditEvent.objects.get(pk=event.pk)
            assert (stored.prev_hash, stored.hash) == (event.prev_hash, event.hash)
            assert stored.compute_hash() == stored.hash
            assert event.compute_hash() == event.hash
    assert in_python == []
    assert chain_breaks() == []


def test_its_chain_and_pythons_are_one_chain(personas, in_python):
    school = personas.school
    for summaries in (ASCII[:2], NOT_ASCII[:1], ASCII[2:], NOT_ASCII[1:], ASCII):
        audit_record_many(actor=personas.dsl, school=school, entries=_entries(summaries))
    assert in_python == [1, 2]
    events = list(AuditEvent.objects.filter(school=school).order_by("id"))
    written = [*ASCII[:2], *NOT_ASCII[:1], *ASCII[2:], *NOT_ASCII[1:], *ASCII]
    assert [e.summary for e in events] == written
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert chain_breaks() == []


def test_text_it_would_hash_differently_is_left_to_python(personas, in_python):
    for text in NOT_ASCII:
        for field in ("summary", "action", "object_code"):
            entry = {"action": "test.read", "summary": "", "object_code": "", field: text}
            audit_record_many(actor=personas.dsl, school=personas.school, entries=[Entry(**entry)])
    assert in_python == [1] * 9
    assert chain_breaks() == []


def test_outside_a_transaction_it_is_one_statement(
    transactional_db, personas, django_assert_num_queries
):
    with django_assert_num_queries(1):
        audit_record_many(actor=personas.dsl, school=personas.school, entries=_entries(ASCII * 6))
    assert AuditEvent.objects.filter(school=personas.school).count() == 24


def test_inside_a_transaction_it_goes_with_the_transaction(transactional_db, personas):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record_many(actor=personas.dsl, school=personas.school, entries=_entries(ASCII))
        assert AuditEvent.objects.filter(school=personas.school).count() == len(ASCII)
        raise RuntimeError("the caller's write failed")
    assert not AuditEvent.objects.filter(school=personas.school).exists()
    assert connection.vendor == "postgresql"


def test_events_of_no_school_are_a_chain_of_their_own(personas, in_python):
    audit_record_many(actor=None, school=None, entries=_entries(ASCII))
    audit_record_many(actor=personas.dsl, school=personas.school, entries=_entries(ASCII))
    audit_record_many(actor=None, school=None, entries=_entries(NOT_ASCII[:1]))
    nobody = list(AuditEvent.objects.filter(school=None).order_by("id"))
    assert len(nobody) == len(ASCII) + 1
    assert nobody[-1].prev_hash == nobody[-2].hash
    assert chain_breaks() == []


def test_the_hash_covers_what_was_written(personas):
    [event] = audit_record_many(
        actor=personas.dsl, school=personas.school, entries=_entries(["plain"])
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    stored.summary = "changed"
    assert stored.compute_hash() != event.hash
    assert event.at.tzinfo is not None and event.at <= timezone.now()
    assert event.at > timezone.now() - datetime.timedelta(minutes=1)
