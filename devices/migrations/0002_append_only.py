from django.db import migrations

from esafety.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("devices", "0001_initial")]

    # A device's chain of custody, its release, its hand-over to the police, searches and the
    # equipment's movements are never changed or removed: what happened next is a new row.
    operations = [
        append_only(
            "devices_custodyevent",
            "devices_release",
            "devices_policehandover",
            "devices_search",
            "devices_equipmentmovement",
        )
    ]
