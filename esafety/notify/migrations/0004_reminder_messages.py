import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """A reminder may send several messages (an escalation alerts a level's people), so the
    message points at its reminder instead of the reminder at one message. 0005 copies the
    links and 0006 drops the old column, each in its own transaction: PostgreSQL refuses to
    alter a table in the transaction that just updated rows it refers to, or that refer to it."""

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
    ]
