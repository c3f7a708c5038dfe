import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def link_messages_to_reminders(apps, schema_editor):
    Message = apps.get_model("notify", "Message")
    Reminder = apps.get_model("notify", "Reminder")
    Message.objects.filter(pk__in=Reminder.objects.values("message_id")).update(
        reminder=Subquery(Reminder.objects.filter(message=OuterRef("pk")).values("pk")[:1])
    )


def link_reminders_to_messages(apps, schema_editor):
    # Back to one message a reminder: the first it sent.
    Message = apps.get_model("notify", "Message")
    Reminder = apps.get_model("notify", "Reminder")
    Reminder.objects.filter(pk__in=Message.objects.values("reminder_id")).update(
        message=Subquery(
            Message.objects.filter(reminder=OuterRef("pk")).order_by("pk").values("pk")[:1]
        )
    )


class Migration(migrations.Migration):
    """A reminder may send several messages (an escalation alerts a level's people), so the
    message points at its reminder instead of the reminder at one message. The old column goes in 0005: on
    PostgreSQL a table cannot be altered in the transaction that just updated rows it refers
    to."""

    dependencies = [
        ("notify", "0003_message_retry_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="reminder",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="messages",
                to="notify.reminder",
            ),
        ),
        migrations.RunPython(link_messages_to_reminders, link_reminders_to_messages),
    ]
