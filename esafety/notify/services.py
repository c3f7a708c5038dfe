import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone

from esafety.notify.models import Message, Reminder

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send; the message is sent again.
# It is far longer than send_message's time limit, so a slow send is never sent twice.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
# After a failed send: 1, 2, 4 ... minutes, then hourly. The attempts run out after about two
# days, long enough to outlast a mail server's bad weekend night, not an abandoned install.
MAX_ATTEMPTS = 48
MAX_BACKOFF = datetime.timedelta(hours=1)
# An email says that something needs attention and links to it; anything longer is a narrative.
MAX_BODY_CHARS = 1000

REDACTED_SUBJECT = "Something in esafety needs your attention"
REDACTED_BODY = "Something in esafety needs your attention. Sign in to see what it is."


class UnsafeMessageError(ValueError):
    pass


def _names_a_pupil(*, school, text: str) -> bool:
    # One query, whatever the size of the roll: does the text contain any pupil's full name?
    # (First names alone would match "Grace" and "Will" in ordinary sentences.)
    from esafety.people.models import Pupil

    return (
        Pupil.objects.filter(school=school)
        .exclude(first_name="")
        .exclude(last_name="")
        .annotate(full_name=Concat("first_name", Value(" "), "last_name"), text=Value(text))
        .filter(text__icontains=F("full_name"))
        .exists()
    )


def absolute_url(path: str) -> str:
    """The address a person opens from an email: SITE_URL and a path made by reverse()."""
    return f"{settings.SITE_URL}{path}"


def _check_link(link: str) -> None:
    # Links are made with reverse(), never by hand, so a renamed page cannot leave emails
    # pointing at nothing, and a link cannot name another site.
    try:
        resolve(link)
    except Resolver404:
        raise ValueError(f"A message's link must be made by reverse(), not {link!r}") from None


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
    message are saved together or not at all. Never put a child's name or narrative in it: the
    email says that something needs attention and links to it.
    """
    if recipient is None and not to_email:
        raise ValueError("A message needs a recipient or an email address")
    if link:
        _check_link(link)
    if len(body) > MAX_BODY_CHARS:
        raise UnsafeMessageError(
            f"A message body of {len(body)} characters is a narrative: say what needs attention "
            "and link to it"
        )
    if school is not None and _names_a_pupil(school=school, text=f"{subject}\n{body}\n{link}"):
        # A bug in the caller. Failing the request would lose the change that caused the message
        # (a concern, say), so in production the email goes out saying nothing; in development
        # and tests it fails loudly so the bug is found.
        if settings.DEBUG or settings.TESTING:
            raise UnsafeMessageError("A message names a pupil of the school")
        logger.error("a %s message named a pupil; it was sent without its text", kind)
        subject, body = REDACTED_SUBJECT, REDACTED_BODY
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


def message_render(*, message: Message) -> tuple[str, str]:
    """The subject and text of the email: the message's own words, its link and a fixed footer."""
    text = render_to_string(
        "notify/email.txt",
        {"message": message, "url": absolute_url(message.link) if message.link else ""},
    )
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{message.subject}", text


def _backoff(attempts: int) -> datetime.timedelta:
    # The exponent is capped before it is raised: 2 ** 47 minutes does not fit in a timedelta.
    doubling = min(max(attempts - 1, 0), 10)
    return min(datetime.timedelta(minutes=2**doubling), MAX_BACKOFF)


def message_send(*, message_id: int) -> bool:
    """Send one message if it is still unsent and nobody else is sending it."""
    if not message_claim(message_id=message_id):
        return False
    message = Message.objects.get(pk=message_id)
    subject, text = message_render(message=message)
    try:
        send_mail(
            subject=subject,
            message=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[message.to_email],
        )
    except Exception as e:  # SMTP down, refused address: release the claim for the sweep
        retry_at = timezone.now() + _backoff(message.attempts)
        if message.attempts >= MAX_ATTEMPTS:
            logger.error(
                "giving up on message %s after %s attempts: %s", message_id, message.attempts, e
            )
        else:
            logger.warning("sending message %s failed, retrying at %s: %s", message_id, retry_at, e)
        Message.objects.filter(pk=message_id).update(
            claimed_at=None, retry_at=retry_at, last_error=str(e)[:500]
        )
        return False
    Message.objects.filter(pk=message_id).update(sent_at=timezone.now(), last_error="")
    return True


def unsent_message_ids(*, limit: int = 500) -> list[int]:
    now = timezone.now()
    return list(
        Message.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
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
