"""Indexes the dashboard's query plans asked for (EXPLAIN ANALYZE on PostgreSQL 15, a school of
2,000 pupils, 1,000 concerns with 4,000 steps; issue 9).

incidents_concern_list_order, for the concern list (ORDER BY -immediate_risk, -created_at, -id,
25 a page). Before: "Seq Scan on incidents_concern, Filter: school_id = 1 (rows=1000)" under
"Sort, top-N heapsort": every concern of the school read and sorted for each page, 0.78 ms and
growing with the school's history. After: "Index Scan using incidents_concern_list_order
(rows=25)" under the Limit, 0.07 ms; page 2 of the open ones reads 50 rows.

incidents_step_open_required, for the required steps still open (the dashboard's "steps
outstanding" and each listed row's count of steps to do). Before: "Seq Scan on
incidents_procedurestep, Filter: state = 'open' AND required (rows=1317, 2,683 removed)", or a
bitmap scan of every step of the concern. After: "Index Scan using incidents_step_open_required"
per row shown. Partial, so it holds the few steps of open concerns, not those history has done.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0003_steps_and_staff_append_only"),
        ("people", "0004_cache_table"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="concern",
            index=models.Index(
                fields=["school", "-immediate_risk", "-created_at", "-id"],
                name="incidents_concern_list_order",
            ),
        ),
        migrations.AddIndex(
            model_name="procedurestep",
            index=models.Index(
                condition=models.Q(("required", True), ("state", "open")),
                fields=["concern"],
                name="incidents_step_open_required",
            ),
        ),
    ]
