"""One round trip for the two first steps of every audit write on PostgreSQL: wait for the
school's chain lock, then read the hash at the head of the chain.

The two must stay two statements: in READ COMMITTED a single SELECT that both locked and read
would read with the snapshot it took before it waited, and miss the row the writer it waited for
had just committed (the chain would fork). A PL/pgSQL function runs each statement with a fresh
snapshot, so its SELECT, after the lock, sees that row.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_chain_head(lock_key bigint, chain_school integer)
RETURNS varchar AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    IF chain_school IS NULL THEN
        RETURN (SELECT hash FROM audit_auditevent WHERE school_id IS NULL
                ORDER BY id DESC LIMIT 1);
    END IF;
    RETURN (SELECT hash FROM audit_auditevent WHERE school_id = chain_school
            ORDER BY id DESC LIMIT 1);
END;
$$ LANGUAGE plpgsql VOLATILE;
"""

DROP = "DROP FUNCTION IF EXISTS audit_chain_head(bigint, integer);"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_trigger")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
