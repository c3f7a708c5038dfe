"""Two requests writing audit events for one school at once must not fork its chain: whether
PostgreSQL appends them (audit_append, for text it hashes as Python does) or Python does (any
other text)."""

import threading
import time

import pytest
from django.db import connection, connections

from esafety.audit import services
from esafety.audit.chain import chain_breaks
from esafety.audit.models import AuditEvent

pytestmark = pytest.mark.postgres

EVENTS_EACH = 15
# Text PostgreSQL's payload writes as Python's json does, so audit_append writes the events; and
# text it does not, so Python chains them.
IN_SQL, IN_PYTHON = "read", "Zoë’s"


@pytest.fixture
def slow_chain_reads(monkeypatch):
    # Widen the race: a writer that has read the school's last hash waits before it inserts, so
    # without the lock the other writer reads the same hash and the chain forks every time; and
    # a writer that waited for the lock must read the head with a snapshot taken after it got
    # the lock (audit_chain_head's second statement), or it misses the row just committed.
    original = services._chain_head

    def chain_head(school_id):
        value = original(school_id)
        time.sleep(0.02)
        return value

    monkeypatch.setattr(services, "_chain_head", chain_head)


def write_concurrently(school, actors, summary: str = IN_PYTHON) -> list[BaseException]:
    start = threading.Barrier(len(actors))
    errors: list[BaseException] = []

    def writer(actor):
        try:
            start.wait()
            for i in range(EVENTS_EACH):
                services.audit_record(
                    actor=actor, school=school, action=f"test.write{i}", summary=summary
                )
        except BaseException as e:
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(a,)) for a in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def test_it_keeps_an_unbroken_chain_under_concurrent_writers(
    transactional_db, personas, slow_chain_reads
):
    assert connection.vendor == "postgresql"
    errors = write_concurrently(personas.school, [personas.dsl, personas.head])
    assert errors == []
    assert AuditEvent.objects.filter(school=personas.school).count() == 2 * EVENTS_EACH
    assert chain_breaks() == []


def test_it_forks_without_the_lock(transactional_db, personas, monkeypatch):
    # Proof that the test above can fail: with the per-school lock gone (the head read as SQLite
    # reads it), the same writers break the chain.
    def unlocked(school_id):
        value = services._read_head(school_id)
        time.sleep(0.02)
        return value

    monkeypatch.setattr(services, "_chain_head", unlocked)
    errors = write_concurrently(personas.school, [personas.dsl, personas.head])
    assert errors == []
    assert chain_breaks() != []


def test_it_forks_when_one_statement_both_waits_and_reads(transactional_db, personas, monkeypatch):
    # Why audit_chain_head is a function of two statements: one SELECT that takes the lock and
    # reads the head reads with the snapshot it took before waiting, so it misses the row the
    # writer it waited for committed, and the chain forks even with the lock.
    from esafety.audit.models import GENESIS_HASH

    def one_statement(school_id):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s), (SELECT hash FROM audit_auditevent"
                " WHERE school_id = %s ORDER BY id DESC LIMIT 1)",
                [services._chain_key(school_id), school_id],
            )
            value = cursor.fetchone()[1]
        time.sleep(0.02)
        return value or GENESIS_HASH

    monkeypatch.setattr(services, "_chain_head", one_statement)
    errors = write_concurrently(personas.school, [personas.dsl, personas.head])
    assert errors == []
    assert chain_breaks() != []


# audit_chain_head as migration 0004 made it, but waiting a little after it has read the head (so
# the other writer, without the lock, reads the same one); and the same without the lock.
SLOW_HEAD = """
CREATE OR REPLACE FUNCTION audit_chain_head(lock_key bigint, chain_school integer)
RETURNS varchar AS $$
DECLARE head varchar;
BEGIN
    {lock}
    head := (SELECT hash FROM audit_auditevent WHERE school_id = chain_school
             ORDER BY id DESC LIMIT 1);
    PERFORM pg_sleep(0.02);
    RETURN head;
END;
$$ LANGUAGE plpgsql VOLATILE;
"""


@pytest.fixture
def head_in_sql():
    """Replace audit_chain_head for one test (with_lock: True or False), and put migration
    0004's back after it."""
    import importlib

    made = importlib.import_module("esafety.audit.migrations.0004_chain_head_function")

    def replace(with_lock: bool) -> None:
        lock = "PERFORM pg_advisory_xact_lock(lock_key);" if with_lock else ""
        with connection.cursor() as cursor:
            cursor.execute(SLOW_HEAD.replace("{lock}", lock))

    yield replace
    with connection.cursor() as cursor:
        cursor.execute(made.CREATE)


def test_postgresql_keeps_an_unbroken_chain_under_concurrent_writers(
    transactional_db, personas, head_in_sql
):
    head_in_sql(with_lock=True)
    errors = write_concurrently(personas.school, [personas.dsl, personas.head], summary=IN_SQL)
    assert errors == []
    events = AuditEvent.objects.filter(school=personas.school)
    assert events.count() == 2 * EVENTS_EACH
    assert set(events.values_list("summary", flat=True)) == {IN_SQL}
    assert chain_breaks() == []


def test_postgresql_forks_the_chain_without_the_lock(transactional_db, personas, head_in_sql):
    # Proof that the test above can fail.
    head_in_sql(with_lock=False)
    errors = write_concurrently(personas.school, [personas.dsl, personas.head], summary=IN_SQL)
    assert errors == []
    assert chain_breaks() != []
