from contextlib import contextmanager

from django.db import connection


@contextmanager
def behind_the_triggers_back():
    """What a DBA with the table owner's rights could do: switch the append-only trigger off.

    On SQLite there is no trigger and nothing to switch. On PostgreSQL the ALTER TABLE is part of
    the test's transaction, so it is undone with everything else even if the test fails.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred; PostgreSQL will not alter a table with checks
        # still pending, so run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
