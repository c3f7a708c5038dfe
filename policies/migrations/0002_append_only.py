from django.db import migrations

from esafety.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    # An acceptance, and the visitor it records, is evidence: never changed or removed.
    operations = [append_only("policies_acceptance", "policies_visitor")]
