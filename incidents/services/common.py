"""What every service about concerns shares: the refusal, the timeline entry, the audit event, the
alert and the concern's lock. Private to the services package; callers use its public names."""

from collections.abc import Collection, Sequence

from django.urls import reverse
from django.utils import timezone

from esafety.actions import ServiceRefusal
from esafety.audit.services import Entry, audit_record_many
from esafety.notify.models import Message
from esafety.notify.services import Email, messages_queue
from esafety.people.models import Pupil, User
from incidents.categories import KEPT_BY, KeptBy
from incidents.models import Concern, ProcedureStep, Status, StepState, TimelineEntry


class ConcernError(ServiceRefusal):
    """A rule of the procedure stops this action; the message says what to do."""


def _entry(
    concern: Concern,
    kind: str,
    author: User | None,
    text: str,
    corrects: TimelineEntry | None = None,
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        concern=concern, kind=kind, author=author, text=text, corrects=corrects
    )


def _audit(actor: User | None, concern: Concern, action: str, summary: str = "") -> None:
    audit_record_many(
        actor=actor, school=concern.school, entries=[_audit_entry(concern, action, summary)]
    )


def _audit_entry(concern: Concern, action: str, summary: str = "") -> Entry:
    return Entry(
        action=action,
        obj=concern,
        summary=f"{concern.reference} ({concern.get_category_display()})"
        + (f": {summary}" if summary else ""),
    )


def _can_open(user: User, concern: Concern) -> bool:
    from esafety.people.access import school_access
    from incidents.selectors import concerns_for

    return concerns_for(school_access(user, concern.school.code)).filter(pk=concern.pk).exists()


def _alert_emails(
    concern: Concern,
    users: Sequence[User],
    subject: str,
    body: str,
    openers: Collection[int] | None = None,
) -> list[Email]:
    # Alerts name no child and carry no narrative: only that something needs attention. Someone
    # escalated to who may not open the concern itself (the chair of governors, for a concern
    # about a child) is sent to the school's home page, and asked to make sure it is picked up.
    # `openers`, when the caller knows them, are the ids of those who may open it.
    return [
        _alert_email(
            concern,
            user,
            subject,
            body,
            can_open=_can_open(user, concern) if openers is None else user.pk in openers,
        )
        for user in users
    ]


def _alert_email(concern: Concern, user: User, subject: str, body: str, *, can_open: bool) -> Email:
    if can_open:
        link = reverse("incidents:detail", args=[concern.school.code, concern.code])
        text = body
    else:
        link = reverse("people:school_home", args=[concern.school.code])
        text = f"{body} You cannot open it yourself: please contact the DSL or the head now."
    return Email(recipient=user, subject=subject, body=text, link=link)


def _alert(
    concern: Concern,
    users: Sequence[User],
    subject: str,
    body: str,
    openers: Collection[int] | None = None,
    about_pupils: Sequence[Pupil] | None = None,
) -> None:
    messages_queue(
        kind=Message.Kind.ALERT,
        school=concern.school,
        emails=_alert_emails(concern, users, subject, body, openers),
        about_pupils=about_pupils,
    )


def _locked(concern: Concern) -> Concern:
    return Concern.objects.select_for_update().select_related("school").get(pk=concern.pk)


def _locked_open(concern: Concern) -> Concern:
    """Every write about an open concern takes the concern's lock first, so two at once never
    both pass a check the other would fail."""
    concern = _locked(concern)
    if concern.status == Status.CLOSED:
        raise ConcernError("This concern is closed. Reopen it first, with a reason.")
    return concern


def _steps_done(
    concern: Concern,
    keys: Collection[str],
    *,
    actor: User,
    entry: TimelineEntry,
    state: str = StepState.DONE,
    note: str = "",
) -> None:
    """A record does these steps: mark those still open done, linked to the record's entry."""
    ProcedureStep.objects.filter(concern=concern, key__in=keys, state=StepState.OPEN).update(
        state=state, done_by=actor, done_at=timezone.now(), note=note, entry=entry
    )


def _kept_by(kept_by: KeptBy) -> set[str]:
    return {key for key, by in KEPT_BY.items() if by == kept_by}
