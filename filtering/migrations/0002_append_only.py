from django.db import migrations

from esafety.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("filtering", "0001_initial")]

    # Evidence an inspector may ask for: the roles and provision as they stood, every decision
    # and when it was applied, every check and its results, each week's report read, each urgent
    # alert. Added, never changed or removed (a failed check's task and the review are not here:
    # one is resolved, the other signed).
    operations = [
        append_only(
            "filtering_roleassignment",
            "filtering_provisionversion",
            "filtering_decision",
            "filtering_decisionapplied",
            "filtering_check",
            "filtering_checkresult",
            "filtering_reportacknowledgement",
            "filtering_oncallshift",
            "filtering_urgentalert",
        )
    ]
