from django.db import migrations

# A failed check's task changes once, from open to resolved (who, when, how); an annual review
# once, from completed to signed (the signature, when, the governor who signed, the next due
# date). Anything else (a resolved task reopened or rewritten, a signed review changed, a
# completed review's answers edited, a row removed) is refused, so both read as recorded.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION filtering_checktask_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.resolved_at IS NULL AND NEW.resolved_at IS NOT NULL
        AND (NEW.id, NEW.code, NEW.school_id, NEW.check_record_id, NEW.assigned_to_id,
             NEW.opened_at, NEW.created_at)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.code, OLD.school_id, OLD.check_record_id, OLD.assigned_to_id,
             OLD.opened_at, OLD.created_at)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % is not allowed (a task is resolved once)',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION filtering_annualreview_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.signed_at IS NULL AND NEW.signed_at IS NOT NULL
        AND (NEW.id, NEW.code, NEW.school_id, NEW.answers, NEW.summary, NEW.completed_by_id,
             NEW.completed_at, NEW.created_at)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.code, OLD.school_id, OLD.answers, OLD.summary, OLD.completed_by_id,
             OLD.completed_at, OLD.created_at)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % is not allowed (a review is signed once)',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _triggers(table: str) -> str:
    # Named *_append_only like every other such trigger: tests/conftest.py's flush finds them so.
    return f"""
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
CREATE TRIGGER {table}_no_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION esafety_append_only();
"""


def _drop(table: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
"""


TABLES = ("filtering_checktask", "filtering_annualreview")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL holds a literal % that must not be read as a placeholder.
        schema_editor.execute(FUNCTIONS, params=None)
        for table in TABLES:
            schema_editor.execute(_triggers(table), params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(_drop(table), params=None)


class Migration(migrations.Migration):
    dependencies = [("filtering", "0002_append_only")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
