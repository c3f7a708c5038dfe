"""One round trip for a new concern's number on PostgreSQL: wait for the school's row lock, then
read the next number (concern_log).

The two must stay two statements: in READ COMMITTED a single statement that both locked and
read would read with the snapshot it took before it waited, and miss the concern the writer it
waited for had just committed (the unique (school, number) constraint would refuse the second).
A PL/pgSQL function runs each statement with a fresh snapshot, so the MAX, after the lock, sees
that concern (audit_chain_head, audit migration 0004, does the same for the audit chain).

FOR NO KEY UPDATE, not FOR UPDATE: every insert that points at the school takes a KEY SHARE lock
on its row, which FOR UPDATE would block (tests/incidents/test_logging_locks.py).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION concern_next_number(of_school bigint)
RETURNS integer AS $$
BEGIN
    PERFORM 1 FROM people_school WHERE id = of_school FOR NO KEY UPDATE;
    RETURN (SELECT COALESCE(MAX(number), 0) + 1 FROM incidents_concern
            WHERE school_id = of_school);
END;
$$ LANGUAGE plpgsql VOLATILE;
"""

DROP = "DROP FUNCTION IF EXISTS concern_next_number(bigint);"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0004_list_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
