"""Two requests writing audit events for one school at once must not fork its chain."""

import threading
import time

import pytest
from django.db import connection, connections

from esafety.audit import services
from esafety.audit.models import AuditEvent
from esafety.audit.selectors import chain_breaks

pytestmark = pytest.mark.postgres

EVENTS_EACH = 15


@pytest.fixture
def slow_chain_reads(monkeypatch):
    # Widen the race: a writer that has read the school's last hash waits before it inserts, so
    # without the lock the other writer reads the same hash and the chain forks every time.
    original = services._previous_hash

    def previous_hash(school_id):
        value = original(school_id)
        time.sleep(0.02)
        return value

    monkeypatch.setattr(services, "_previous_hash", previous_hash)


def write_concurrently(school, actors) -> list[BaseException]:
    start = threading.Barrier(len(actors))
    errors: list[BaseException] = []

    def writer(actor):
        try:
            start.wait()
            for i in range(EVENTS_EACH):
                services.audit_record(actor=actor, school=school, action=f"test.write{i}")
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


def test_it_forks_without_the_lock(transactional_db, personas, slow_chain_reads, monkeypatch):
    # Proof that the test above can fail: with the per-school lock gone, the same writers break
    # the chain.
    monkeypatch.setattr(services, "_lock_chain", lambda school_id: None)
    errors = write_concurrently(personas.school, [personas.dsl, personas.head])
    assert errors == []
    assert chain_breaks() != []
