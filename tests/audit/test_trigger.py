"""On PostgreSQL the audit table is append-only in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from esafety.audit.models import AuditEvent
from esafety.audit.services import audit_record

pytestmark = pytest.mark.postgres


@pytest.fixture
def event(personas) -> AuditEvent:
    return audit_record(
        actor=personas.dsl, school=personas.school, action="test.recorded", summary="original"
    )


def rejected(sql: str, params=()) -> str:
    # The savepoint keeps the error from aborting the test's own transaction.
    with pytest.raises(DatabaseError) as e, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(e.value)


def assert_untouched(event: AuditEvent) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.summary == "original"
    assert stored.hash == event.hash


def test_it_rejects_update_in_sql(event):
    message = rejected("UPDATE audit_auditevent SET summary = 'changed' WHERE id = %s", [event.pk])
    assert "append-only: UPDATE is not allowed" in message
    assert_untouched(event)


def test_it_rejects_delete_in_sql(event):
    message = rejected("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert "append-only: DELETE is not allowed" in message
    assert_untouched(event)


def test_it_rejects_truncate(event):
    # Django's foreign keys are deferred: run their pending checks now, or PostgreSQL refuses
    # the TRUNCATE for that reason instead of the trigger's.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    message = rejected("TRUNCATE audit_auditevent")
    assert "append-only: TRUNCATE is not allowed" in message
    assert_untouched(event)
    message = rejected("TRUNCATE audit_auditevent RESTART IDENTITY CASCADE")
    assert "TRUNCATE is not allowed" in message
    assert_untouched(event)


def test_it_rejects_update_through_the_orm(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.summary = "changed"
        event.save()
    assert_untouched(event)


def test_it_rejects_delete_through_the_orm(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.get(pk=event.pk).delete()
    assert_untouched(event)


def test_it_still_appends(event, personas):
    audit_record(actor=personas.head, school=personas.school, action="test.second")
    assert AuditEvent.objects.filter(school=personas.school).count() == 2


def test_it_is_installed_on_the_table(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass "
            "AND NOT tgisinternal AND tgenabled = 'O' ORDER BY tgname"
        )
        names = [row[0] for row in cursor.fetchall()]
    assert names == ["audit_auditevent_no_truncate", "audit_auditevent_no_update_delete"]
