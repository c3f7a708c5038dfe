"""A policy's audiences move from a JSON list on the policy to a row each, so the database can
filter on them; the list is copied into rows (and back, to reverse), then dropped."""

import django.db.models.deletion
from django.db import migrations, models


def list_to_rows(apps, schema_editor):
    Policy = apps.get_model("policies", "Policy")
    PolicyAudience = apps.get_model("policies", "PolicyAudience")
    rows = [
        PolicyAudience(policy_id=policy_id, audience=audience)
        for policy_id, audiences in Policy.objects.values_list("id", "audiences").iterator()
        for audience in sorted(set(audiences or []))
    ]
    PolicyAudience.objects.bulk_create(rows, batch_size=1000)


def rows_to_list(apps, schema_editor):
    Policy = apps.get_model("policies", "Policy")
    PolicyAudience = apps.get_model("policies", "PolicyAudience")
    audiences: dict[int, list[str]] = {}
    for policy_id, audience in PolicyAudience.objects.order_by("audience").values_list(
        "policy_id", "audience"
    ):
        audiences.setdefault(policy_id, []).append(audience)
    for policy in Policy.objects.all().iterator():
        policy.audiences = audiences.get(policy.pk, [])
        policy.save(update_fields=["audiences"])


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0003_visitor_submission"),
    ]

    operations = [
        migrations.CreateModel(
            name="PolicyAudience",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("staff", "Staff"),
                            ("governors", "Governors"),
                            ("parents", "Parents and carers"),
                            ("pupils_eyfs", "Pupils: early years"),
                            ("pupils_ks1", "Pupils: key stage 1"),
                            ("pupils_ks2", "Pupils: key stage 2"),
                            ("pupils_ks3", "Pupils: key stage 3"),
                            ("pupils_ks4", "Pupils: key stage 4"),
                            ("pupils_ks5", "Pupils: sixth form"),
                            ("visitors", "Visitors"),
                        ],
                        max_length=32,
                    ),
                ),
                (
                    "policy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="applies_to",
                        to="policies.policy",
                    ),
                ),
            ],
            options={
                "ordering": ["audience"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("policy", "audience"), name="policies_policy_audience_once"
                    )
                ],
            },
        ),
        migrations.RunPython(list_to_rows, rows_to_list),
        migrations.RemoveField(model_name="policy", name="audiences"),
    ]
