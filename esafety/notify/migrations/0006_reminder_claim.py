from django.db import migrations, models


class Migration(migrations.Migration):
    """The reminder's own message link goes (0005 copied it to Message.reminder), and a batch of
    reminders is claimed with a token (see Reminder.claim)."""

    dependencies = [
        ("notify", "0005_link_messages_to_reminders"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="reminder",
            name="message",
        ),
        migrations.AddField(
            model_name="reminder",
            name="claim",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(fields=["claim"], name="notify_reminder_claim"),
        ),
    ]
