import datetime
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone

from esafety.notify.models import Message, Reminder
from esafety.people.models import Pupil, School, User

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


def _names_a_pupil(*, school: School, text: str) -> bool:
    # One query, whatever the size of the roll: does the text contain any pupil's full name?
    # (First names alone would match "Grace" and "Will" in ordinary sentences.)
    return (
        Pupil.objects.filter(school=school)
        .exclude(first_name="")
        .exclude(last_name="")
        .annotate(first_and_last=Concat("first_name", Value(" "), "last_name"), text=Value(text))
        .filter(text__icontains=F("first_and_last"))
        .exists()
    )


def _texts_naming_a_pupil(*, school: School, texts: set[str]) -> set[str]:
    # A batch's texts are checked together in one query: a name cannot run across the line
    # break between two of them. Only when one does name a pupil (a bug) is each one checked.
    if not texts or not _names_a_pupil(school=school, text="\n".join(sorted(texts))):
        return set()
    return {text for text in texts if _names_a_pupil(school=school, text=text)}


def _texts_naming(pupils: Iterable[Pupil], texts: set[str]) -> set[str]:
    # _names_a_pupil's test, in Python, for the few pupils a caller already holds.
    names = [
        f"{p.first_name} {p.last_name}".upper() for p in pupils if p.first_name and p.last_name
    ]
    return {text for text in texts if any(name in text.upper() for name in names)}


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


def _message_of(email: "Email", *, kind: str, school: School | None) -> Message:
    return _message_build(
        kind=kind,
        subject=email.subject,
        body=email.body,
        link=email.link,
        school=school,
        recipient=email.recipient,
        to_email="",
    )


def _message_build(
    *,
    kind: str,
    subject: str,
    body: str,
    link: str,
    school: School | None,
    recipient: User | None,
    to_email: str,
) -> Message:
    if not to_email:
        if recipient is None:
            raise ValueError("A message needs a recipient or an email address")
        to_email = recipient.email
    if link:
        _check_link(link)
    if len(body) > MAX_BODY_CHARS:
        raise UnsafeMessageError(
            f"A message body of {len(body)} characters is a narrative: say what needs attention "
            "and link to it"
        )
    return Message(
        school=school,
        kind=kind,
        recipient=recipient,
        to_email=to_email,
        subject=subject,
        body=body,
        link=link,
    )


def _checked_text(message: Message) -> str:
    return f"{message.subject}\n{message.body}\n{message.link}"


def _redact(message: Message) -> None:
    # A bug in the caller. Failing the request would lose the change that caused the message
    # (a concern, say), so in production the email goes out saying nothing; in development
    # and tests it fails loudly so the bug is found.
    if settings.DEBUG or settings.TESTING:
        raise UnsafeMessageError("A message names a pupil of the school")
    logger.error("a %s message named a pupil; it was sent without its text", message.kind)
    message.subject, message.body = REDACTED_SUBJECT, REDACTED_BODY


def message_queue(
    *,
    kind: str,
    subject: str,
    body: str,
    link: str = "",
    school: School | None = None,
    recipient: User | None = None,
    to_email: str = "",
) -> Message:
    """Write an email to the outbox; it goes out after the surrounding transaction commits.

    Call it inside the transaction of the change that causes it, so that the change and its
    message are saved together or not at all. Never put a child's name or narrative in it: the
    email says that something needs attention and links to it.
    """
    message = _message_build(
        kind=kind,
        subject=subject,
        body=body,
        link=link,
        school=school,
        recipient=recipient,
        to_email=to_email,
    )
    if school is not None and _names_a_pupil(school=school, text=_checked_text(message)):
        _redact(message)
    message.full_clean()
    message.save()
    transaction.on_commit(lambda: _hand_off(message.pk))
    return message


def messages_queue(
    *,
    kind: str,
    school: School,
    emails: "Sequence[Email]",
    about_pupils: "Sequence[Pupil] | None" = None,
) -> None:
    """message_queue for several members at once (the alerts a new concern sends): the same
    checks, with one query for a pupil's name in any of them and one insert.

    `about_pupils` is for a caller whose texts are made only of what names no child (a
    reference, a category, the school's name) and who holds the pupils its change is about:
    the names a mistake of its own could put in the texts. They are looked for in Python, and
    the roll is not read; the query grows with the roll, and a new concern's alerts wait on it.
    """
    _messages_queue_many(
        school=school,
        about_pupils=about_pupils,
        messages=[_message_of(e, kind=kind, school=school) for e in emails],
    )


def messages_prepared(
    *,
    kind: str,
    school: School,
    emails: "Sequence[Email]",
    about_pupils: "Sequence[Pupil] | None" = None,
) -> list[Message]:
    """messages_queue's messages, checked (and redacted where a text names a pupil), not yet
    saved: for a caller that inserts them with its own rows in one statement
    (esafety.db.insert_together) and then calls messages_hand_off_on_commit with them."""
    messages = [_message_of(e, kind=kind, school=school) for e in emails]
    _messages_checked(school=school, messages=messages, about_pupils=about_pupils)
    return messages


def messages_hand_off_on_commit(messages: "Sequence[Message]") -> None:
    """Hand the saved messages to the worker once the transaction that saved them commits."""
    ids = [m.pk for m in messages]
    if ids:
        transaction.on_commit(lambda: _hand_off_many(ids))


def _hand_off(message_id: int) -> None:
    from esafety.notify import dispatch, tasks

    dispatch.enqueue(tasks.send_message, message_id)


def _hand_off_many(message_ids: list[int]) -> None:
    # One after-commit callback for a batch; once the broker fails, dispatch stops trying and
    # the outbox sweep sends the rest.
    for message_id in message_ids:
        _hand_off(message_id)


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


def message_deliver(message: Message) -> Exception | None:
    """Send a claimed message: None when it went, or the refusal (SMTP down, a refused
    address). Anything else (a template that fails) is raised, and the claim is kept until it
    times out."""
    subject, text = message_render(message=message)
    try:
        send_mail(
            subject=subject,
            message=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[message.to_email],
        )
    except Exception as e:  # SMTP down, refused address: release the claim for the sweep
        return e
    return None


def message_release(message: Message, error: Exception) -> Message:
    # The claim is released and the next try waits, backing off while the mail server is down.
    retry_at = timezone.now() + _backoff(message.attempts)
    if message.attempts >= MAX_ATTEMPTS:
        logger.error(
            "giving up on message %s after %s attempts: %s", message.pk, message.attempts, error
        )
    else:
        logger.warning("sending message %s failed, retrying at %s: %s", message.pk, retry_at, error)
    message.claimed_at, message.retry_at, message.last_error = None, retry_at, str(error)[:500]
    return message


def message_send(*, message_id: int) -> bool:
    """Send one message if it is still unsent and nobody else is sending it."""
    if not message_claim(message_id=message_id):
        return False
    message = Message.objects.get(pk=message_id)
    error = message_deliver(message)
    if error is not None:
        message_release(message, error)
        Message.objects.filter(pk=message_id).update(
            claimed_at=None, retry_at=message.retry_at, last_error=message.last_error
        )
        return False
    Message.objects.filter(pk=message_id).update(sent_at=timezone.now(), last_error="")
    return True


def messages_due(now: datetime.datetime) -> QuerySet[Message]:
    return (
        Message.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
    )


# A sweep claims and queues this many reminders at a time, each batch in its own transaction.
REMINDER_BATCH = 1000


@dataclass(frozen=True)
class Email:
    """One email a reminder sends to one member: says what needs attention, links to it."""

    recipient: User
    subject: str
    body: str
    link: str


@dataclass(frozen=True)
class ReminderItem:
    """A reminder, keyed so it is issued once, and the emails it sends when it is.

    subject is "<type>:<code>" of what it is about, kind which reminder, period which occurrence
    (see Reminder). Usually one email; an escalation alerts every person of a level.
    """

    subject: str
    kind: str
    period: str
    emails: Sequence[Email]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.kind, self.period)


def reminder_send(
    *,
    school: School,
    subject: str,
    kind: str,
    period: str,
    emails: Sequence[Email],
    message_kind: str = Message.Kind.REMINDER,
) -> bool:
    """Issue one keyed reminder and queue its emails; False if it was issued already."""
    item = ReminderItem(subject=subject, kind=kind, period=period, emails=emails)
    return reminders_send_many(school=school, items=[item], message_kind=message_kind) == 1


def reminders_send_many(
    *,
    school: School,
    items: Iterable[ReminderItem],
    message_kind: str = Message.Kind.REMINDER,
) -> int:
    """Issue each reminder not issued before and queue its emails, a batch at a time: a sweep's
    queries grow with its batches, not with the people it reminds. Returns how many were issued.

    The unique key (subject, kind, period) makes a sweep that runs twice, or two workers running
    it at once, issue each reminder once. Each batch is its own transaction (inside the caller's,
    if there is one), and its emails go out when that commits.
    """
    return len(reminders_issue_many(school=school, items=items, message_kind=message_kind))


def reminders_issue_many(
    *,
    school: School,
    items: Iterable[ReminderItem],
    message_kind: str = Message.Kind.REMINDER,
) -> set[tuple[str, str, str]]:
    """reminders_send_many, returning the keys of the reminders this call issued, for a caller
    that records something for each one (escalation's timeline entries and audit events)."""
    issued: set[tuple[str, str, str]] = set()
    it = iter(items)
    while batch := list(islice(it, REMINDER_BATCH)):
        issued |= _reminders_send_batch(school=school, items=batch, message_kind=message_kind)
    return issued


@transaction.atomic
def _reminders_send_batch(
    *, school: School, items: list[ReminderItem], message_kind: str
) -> set[tuple[str, str, str]]:
    wanted: dict[tuple[str, str, str], ReminderItem] = {}
    for item in items:
        wanted.setdefault(item.key, item)  # the same reminder twice in a sweep is one reminder
    # Most runs find most reminders issued already: one read (by the unique key's index), and
    # nothing written for them.
    issued_before = set(
        Reminder.objects.filter(
            subject__in={subject for subject, _, _ in wanted},
            kind__in={kind for _, kind, _ in wanted},
        ).values_list("subject", "kind", "period")
    )
    new = [key for key in wanted if key not in issued_before]
    if not new:
        return set()
    # Another worker may insert some of the same keys between that read and this insert: those
    # rows are skipped here, and only the rows carrying this batch's token are this batch's.
    token = uuid.uuid4()
    Reminder.objects.bulk_create(
        [
            Reminder(school=school, subject=subject, kind=kind, period=period, claim=token)
            for subject, kind, period in new
        ],
        ignore_conflicts=True,
    )
    # In the order the caller gave them, so its emails are queued (and sent) in that order.
    order = {key: i for i, key in enumerate(new)}
    claimed = sorted(
        Reminder.objects.filter(claim=token),
        key=lambda r: order[(r.subject, r.kind, r.period)],
    )
    messages = []
    for reminder in claimed:
        for email in wanted[(reminder.subject, reminder.kind, reminder.period)].emails:
            message = _message_of(email, kind=message_kind, school=school)
            message.reminder = reminder
            messages.append(message)
    _messages_queue_many(school=school, messages=messages)
    return {(r.subject, r.kind, r.period) for r in claimed}


def _messages_queue_many(
    *, school: School, messages: list[Message], about_pupils: "Sequence[Pupil] | None" = None
) -> None:
    """message_queue for a batch: the same checks, one pupil-name query and one insert."""
    _messages_checked(school=school, messages=messages, about_pupils=about_pupils)
    Message.objects.bulk_create(messages)
    messages_hand_off_on_commit(messages)


def _messages_checked(
    *, school: School, messages: list[Message], about_pupils: "Sequence[Pupil] | None"
) -> None:
    if not messages:
        return
    texts = {_checked_text(m) for m in messages}
    naming = (
        _texts_naming_a_pupil(school=school, texts=texts)
        if about_pupils is None
        else _texts_naming(about_pupils, texts)
    )
    for message in messages:
        if _checked_text(message) in naming:
            _redact(message)
        # Not the checks that query, once a message: the school, the recipient and the
        # reminder were all just read from the database, and the code is a fresh uuid4.
        message.full_clean(
            exclude={"school", "recipient", "reminder"},
            validate_unique=False,
            validate_constraints=False,
        )
