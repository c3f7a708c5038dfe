from django.db import migrations

from esafety.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    # A decision is the record of who agreed to what, on which form: a change of mind is a new
    # decision, never an edit.
    operations = [append_only("consent_decision")]
