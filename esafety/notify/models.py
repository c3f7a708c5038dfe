import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from esafety.base import TimeStampedModel


class Message(TimeStampedModel):
    """One email to one person, written in the same transaction as the change that caused it.

    The outbox: Celery sends it after commit; a beat sweep sends whatever is still unsent. The
    subject and body never carry a child's name or a narrative, only that something needs
    attention and a link to it.
    """

    class Kind(models.TextChoices):
        ALERT = "alert", "Alert"
        REMINDER = "reminder", "Reminder"
        INVITATION = "invitation", "Invitation"
        DIGEST = "digest", "Digest"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(
        "people.School", models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+"
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # Relative to SITE_URL; the email shows the full address.
    link = models.CharField(max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # After a failed send the sweep waits until then, backing off while the mail server is down.
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    # The keyed reminder that sent it, if any. An escalation's reminder (one level of one concern)
    # sends several.
    reminder = models.ForeignKey(
        "Reminder", models.SET_NULL, null=True, blank=True, related_name="messages"
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(sent_at__isnull=True), name="notify_message_unsent"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(claimed_at__isnull=False),
                name="notify_message_sent_was_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to_email}: {self.subject}"


class Reminder(models.Model):
    """A reminder that has been issued, keyed so the same one is never issued twice.

    subject is "<type>:<code>" of what it is about, kind says which reminder, period which
    occurrence ("2026-W47", "1", "2026-09-01"). A task that runs twice finds the row already there.
    """

    school = models.ForeignKey("people.School", models.CASCADE, related_name="+")
    subject = models.CharField(max_length=100)
    kind = models.CharField(max_length=64)
    period = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    # Which call to reminders_send_many inserted the row. A batch inserts with "ignore the rows
    # already there" and reads back its own token, so it sends exactly the reminders it created,
    # even when another worker claims some of the same keys at the same moment.
    claim = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind", "period"], name="notify_reminder_once_per_period"
            ),
        ]
        indexes = [models.Index(fields=["claim"], name="notify_reminder_claim")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} {self.period}"
