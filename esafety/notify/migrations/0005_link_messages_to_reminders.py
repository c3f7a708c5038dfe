from django.db import migrations
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
    """Each message a reminder sent points at it (see 0004)."""

    dependencies = [
        ("notify", "0004_reminder_messages"),
    ]

    operations = [
        migrations.RunPython(link_messages_to_reminders, link_reminders_to_messages),
    ]
