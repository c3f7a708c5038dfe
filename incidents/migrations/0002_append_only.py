from django.db import migrations

from esafety.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    # What was recorded about a concern is never changed or removed: corrections are new entries.
    operations = [
        append_only(
            "incidents_timelineentry",
            "incidents_referral",
            "incidents_reviewmeeting",
            "incidents_nudesanswer",
            "incidents_attachment",
        )
    ]
