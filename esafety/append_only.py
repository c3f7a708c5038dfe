"""Append-only tables, enforced by PostgreSQL itself.

Court-safe records (the audit trail, a concern's timeline and referrals, AUP acceptances) are
never updated or deleted by the app; a trigger makes that true for anything else that connects as
the app's database role too. SQLite, the embedded default, relies on the services alone.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION esafety_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _create(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION esafety_append_only();
CREATE TRIGGER {table}_no_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION esafety_append_only();
"""


def _drop(table: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
"""


def append_only(*tables: str) -> migrations.RunPython:
    """A migration operation that makes these tables append-only on PostgreSQL."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # params=None: the SQL holds a literal % that must not be read as a placeholder.
            schema_editor.execute(FUNCTION, params=None)
            for table in tables:
                schema_editor.execute(_create(table), params=None)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table in tables:
                schema_editor.execute(_drop(table), params=None)

    return migrations.RunPython(forwards, backwards, elidable=False)
