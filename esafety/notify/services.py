import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from esafety.notify.models import Message, Reminder

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send; the message is sent again.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 20


def message_queue(
    *,
    kind: str,
    subject: str,
    body: str,
    link: str = "",
    school=None,
    recipient=None,
    to_email: str = "",
) -> Message:
    """Write an email to the outbox; it goes out after the surrounding transaction commits.

    Call it inside the transaction of the change that causes it, so that the change and its
    message are saved together or not at all. Never put a child's name or narrative in it.
    """
    if recipient is None and not to_email:
        raise ValueError("A message needs a recipient or an email address")
    message = Message(
        school=school,
        kind=kind,
        recipient=recipient,
        to_email=to_email or recipient.email,
        subject=subject,
        body=body,
        link=link,
    )
    message.full_clean()
    message.save()
    transaction.on_commit(lambda: _hand_off(message.pk))
    return message


def _hand_off(message_id: int) -> None:
    from esafety.notify import dispatch, tasks

    dispatch.enqueue(tasks.send_message, message_id)


def message_claim(*, message_id: int) -> bool:
    """Claim an unsent message for sending; only one caller ever wins a claim."""
    now = timezone.now()
    claimed = (
        Message.objects.filter(pk=message_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    return claimed == 1


def message_send(*, message_id: int) -> bool:
    """Send one message if it is still unsent and nobody else is sending it."""
    if not message_claim(message_id=message_id):
        return False
    message = Message.objects.get(pk=message_id)
    text = render_to_string(
        "notify/email.txt",
        {"message": message, "url": f"{settings.SITE_URL}{message.link}" if message.link else ""},
    )
    try:
        send_mail(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{message.subject}",
            message=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[message.to_email],
        )
    except Exception as e:  # SMTP down, refused address: release the claim for the sweep
        logger.warning("sending message %s failed: %s", message_id, e)
        Message.objects.filter(pk=message_id).update(claimed_at=None, last_error=str(e)[:500])
        return False
    Message.objects.filter(pk=message_id).update(sent_at=timezone.now(), last_error="")
    return True


def unsent_message_ids(*, limit: int = 500) -> list[int]:
    stale = timezone.now() - CLAIM_TIMEOUT
    return list(
        Message.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def reminder_claim(*, school, subject: str, kind: str, period: str) -> Reminder | None:
    """Record that a reminder is being issued; None if it was issued already.

    The unique key (subject, kind, period) makes a task that runs twice, or two workers running
    it at once, issue the reminder once.
    """
    try:
        with transaction.atomic():
            return Reminder.objects.create(school=school, subject=subject, kind=kind, period=period)
    except IntegrityError:
        return None
