import django.db.models.deletion
from django.db import migrations, models

from esafety.append_only import append_only

# A step changes once: from open to done or not applicable, filling in who, when, the note and
# the entry that records it. Anything else (a done step reopened or rewritten, its label or
# concern changed, a row removed) is refused, so a recorded step reads as it was recorded.
STEP_FUNCTION = """
CREATE OR REPLACE FUNCTION incidents_procedurestep_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.state = 'open'
        AND NEW.state IN ('done', 'not_applicable')
        AND OLD.done_by_id IS NULL AND OLD.done_at IS NULL AND OLD.note = ''
        AND OLD.entry_id IS NULL
        AND (NEW.id, NEW.concern_id, NEW."order", NEW.key, NEW.label, NEW.required)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.concern_id, OLD."order", OLD.key, OLD.label, OLD.required)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % is not allowed (a step is recorded once, from open '
        'to done or not applicable)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# Named *_append_only like every other such trigger: tests/conftest.py's flush finds them so.
STEP_TRIGGERS = """
CREATE TRIGGER incidents_procedurestep_append_only
    BEFORE UPDATE OR DELETE ON incidents_procedurestep
    FOR EACH ROW EXECUTE FUNCTION incidents_procedurestep_append_only();
CREATE TRIGGER incidents_procedurestep_no_truncate
    BEFORE TRUNCATE ON incidents_procedurestep
    FOR EACH STATEMENT EXECUTE FUNCTION esafety_append_only();
"""

DROP_STEP_TRIGGERS = """
DROP TRIGGER IF EXISTS incidents_procedurestep_no_truncate ON incidents_procedurestep;
DROP TRIGGER IF EXISTS incidents_procedurestep_append_only ON incidents_procedurestep;
DROP FUNCTION IF EXISTS incidents_procedurestep_append_only();
"""


def steps_forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL holds a literal % that must not be read as a placeholder.
        schema_editor.execute(STEP_FUNCTION, params=None)
        schema_editor.execute(STEP_TRIGGERS, params=None)


def steps_backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_STEP_TRIGGERS, params=None)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_append_only")]

    operations = [
        migrations.AddField(
            model_name="procedurestep",
            name="entry",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="incidents.timelineentry",
            ),
        ),
        migrations.AlterField(
            model_name="concernstaff",
            name="concern",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="staff_links",
                to="incidents.concern",
            ),
        ),
        migrations.AlterField(
            model_name="procedurestep",
            name="concern",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="steps",
                to="incidents.concern",
            ),
        ),
        # Whoever is named as involved never sees the concern: removing the row would unhide it.
        append_only("incidents_concernstaff"),
        migrations.RunPython(steps_forwards, steps_backwards, elidable=False),
    ]
