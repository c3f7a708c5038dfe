from django.core.management import call_command
from django.db import migrations

# The table of the database cache that takes over the sign-in rate limits while Redis is down
# (settings.CACHE_TABLE; esafety/cache.py). Created here so every database has it, whichever
# cache the settings name today.
TABLE = "esafety_cache"


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_school_escalation_in_range"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
