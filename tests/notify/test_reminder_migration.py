"""Migrations 0004 to 0006 turn "a reminder's message" into "a message's reminder", and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("notify", "0003_message_retry_at")]
AFTER = [("notify", "0006_reminder_claim")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_it_links_each_message_to_its_reminder_and_back(personas):
    apps = _migrate(BEFORE)
    try:
        Message = apps.get_model("notify", "Message")
        Reminder = apps.get_model("notify", "Reminder")
        school = personas.school.pk

        def message():
            return Message.objects.create(
                school_id=school, kind="reminder", to_email="a@b.test", subject="s", body="b"
            )

        linked, alone = message(), message()
        reminder = Reminder.objects.create(
            school_id=school, subject="x:1", kind="k", period="1", message=linked
        )
        bare = Reminder.objects.create(school_id=school, subject="x:2", kind="k", period="1")

        apps = _migrate(AFTER)
        Message = apps.get_model("notify", "Message")
        assert Message.objects.get(pk=linked.pk).reminder_id == reminder.pk
        assert Message.objects.get(pk=alone.pk).reminder_id is None

        apps = _migrate(BEFORE)
        Reminder = apps.get_model("notify", "Reminder")
        assert Reminder.objects.get(pk=reminder.pk).message_id == linked.pk
        assert Reminder.objects.get(pk=bare.pk).message_id is None
    finally:
        _migrate(AFTER)
