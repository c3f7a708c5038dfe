"""Migration 0004 moves each policy's audiences from a JSON list into a row each, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("policies", "0003_visitor_submission")]
AFTER = [("policies", "0004_policy_audience")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_it_copies_each_policys_audiences_into_rows_and_back(personas):
    apps = _migrate(BEFORE)
    try:
        Policy = apps.get_model("policies", "Policy")
        school, owner = personas.school.pk, personas.online_safety_lead.pk
        both = Policy.objects.create(
            school_id=school, owner_id=owner, title="Online safety", kind="online_safety",
            audiences=["staff", "pupils_ks2", "staff"],
        )  # fmt: skip
        none = Policy.objects.create(
            school_id=school, owner_id=owner, title="Old", kind="other", audiences=[]
        )
        apps = _migrate(AFTER)
        PolicyAudience = apps.get_model("policies", "PolicyAudience")
        rows = PolicyAudience.objects.order_by("policy_id", "audience")
        assert list(rows.values_list("policy_id", "audience")) == [
            (both.pk, "pupils_ks2"),
            (both.pk, "staff"),
        ]

        apps = _migrate(BEFORE)
        Policy = apps.get_model("policies", "Policy")
        assert Policy.objects.get(pk=both.pk).audiences == ["pupils_ks2", "staff"]
        assert Policy.objects.get(pk=none.pk).audiences == []
    finally:
        _migrate(AFTER)
