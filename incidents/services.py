"""Every write about concerns. Each writes its timeline entry and its audit event; the audit
summary never carries a child's name or the narrative."""

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from esafety.audit.services import Entry, audit_record, audit_record_many
from esafety.notify.models import Message
from esafety.notify.services import message_queue, reminder_claim
from esafety.people.models import Pupil, School, User
from incidents import routing
from incidents.categories import AGENCY_STEPS, KEPT_BY, Category, KeptBy, info
from incidents.evidence import MAX_FILES, EvidenceRefused, check_file
from incidents.models import (
    OPEN_STATUSES,
    Attachment,
    Concern,
    ConcernPupil,
    ConcernStaff,
    EntryKind,
    NudesAnswer,
    ProcedureStep,
    Referral,
    ReviewMeeting,
    Status,
    StepState,
    TimelineEntry,
)
from incidents.procedure import decides, missing_for_close, nudes_review


class ConcernError(Exception):
    """A rule of the procedure stops this action; the message says what to do."""


@dataclass(frozen=True)
class InvolvedPupil:
    pupil: Pupil
    role: str


def _entry(concern: Concern, kind: str, author: User | None, text: str, corrects=None):
    return TimelineEntry.objects.create(
        concern=concern, kind=kind, author=author, text=text, corrects=corrects
    )


def _audit(actor, concern: Concern, action: str, summary: str = "") -> None:
    audit_record(
        actor=actor,
        school=concern.school,
        action=action,
        obj=concern,
        summary=f"{concern.reference} ({concern.get_category_display()})"
        + (f": {summary}" if summary else ""),
    )


def _can_open(user: User, concern: Concern) -> bool:
    from esafety.people.access import school_access
    from incidents.selectors import concerns_for

    return concerns_for(school_access(user, concern.school.code)).filter(pk=concern.pk).exists()


def _alert(concern: Concern, users: Sequence[User], subject: str, body: str) -> None:
    # Alerts name no child and carry no narrative: only that something needs attention. Someone
    # escalated to who may not open the concern itself (the chair of governors, for a concern
    # about a child) is sent to the school's home page, and asked to make sure it is picked up.
    for user in users:
        if _can_open(user, concern):
            link = reverse("incidents:detail", args=[concern.school.code, concern.code])
            text = body
        else:
            link = reverse("people:school_home", args=[concern.school.code])
            text = f"{body} You cannot open it yourself: please contact the DSL or the head now."
        message_queue(
            kind=Message.Kind.ALERT,
            school=concern.school,
            recipient=user,
            subject=subject,
            body=text,
            link=link,
        )


@transaction.atomic
def concern_log(
    *,
    actor: User,
    school: School,
    category: str,
    occurred_at: datetime.datetime,
    location: str,
    what_happened: str,
    pupils: Sequence[InvolvedPupil],
    staff: Sequence[User] = (),
    immediate_risk: bool = False,
    told_dsl_in_person: bool = False,
    files: Sequence[UploadedFile] = (),
) -> Concern:
    category_info = info(category)
    if files and not category_info.allows_attachments:
        # Checked here, not only in the form: a suspected indecent image must never be stored.
        raise EvidenceRefused(
            f"{category_info.category.label}: nothing can be attached to this kind of concern. "
            + category_info.attachments_refused_because
        )
    if len(files) > MAX_FILES:
        raise EvidenceRefused(f"Attach at most {MAX_FILES} files.")
    checked = [check_file(f) for f in files]
    for involved in pupils:
        if involved.pupil.school_id != school.pk:
            raise ValidationError("A pupil of another school cannot be added to this concern.")
    if category == Category.STAFF_CONDUCT and not staff:
        # Whoever it is about must be named: that is what keeps it from them (and sends it to
        # the chair of governors when it is about the head).
        raise ValidationError(
            "A concern about a member of staff's conduct must name the member of staff."
        )

    # Lock the school row so two concerns logged at once never get the same number.
    School.objects.select_for_update().filter(pk=school.pk).first()
    number = (Concern.objects.filter(school=school).aggregate(n=Max("number"))["n"] or 0) + 1
    concern = Concern(
        school=school,
        number=number,
        category=category,
        four_c=category_info.four_c,
        route=category_info.route,
        reported_by=actor,
        occurred_at=occurred_at,
        location=location,
        what_happened=what_happened,
        immediate_risk=immediate_risk,
        told_dsl_in_person=told_dsl_in_person,
    )
    concern.full_clean()
    concern.save()
    ConcernPupil.objects.bulk_create(
        ConcernPupil(concern=concern, pupil=p.pupil, role=p.role) for p in pupils
    )
    ConcernStaff.objects.bulk_create(ConcernStaff(concern=concern, user=u) for u in set(staff))
    # The procedure is copied, so a later change to the category never rewrites this record.
    ProcedureStep.objects.bulk_create(
        ProcedureStep(
            concern=concern,
            order=i,
            key=s.key,
            label=s.label,
            required=s.required or (s.required_when_staff_involved and bool(staff)),
        )
        for i, s in enumerate(category_info.steps)
    )
    for c in checked:
        attachment = Attachment(
            concern=concern,
            original_name=c.upload.name[:255],
            content_type=c.content_type,
            size=c.size,
            sha256=c.sha256,
            uploaded_by=actor,
        )
        attachment.file.save(c.storage_name, c.upload, save=False)
        attachment.save()
    _entry(
        concern,
        EntryKind.LOGGED,
        actor,
        "Concern logged"
        + ("; a child is at immediate risk" if immediate_risk else "")
        + ("; the DSL was told in person" if told_dsl_in_person else "")
        + (f"; {len(checked)} file(s) attached" if checked else "")
        + ".",
    )
    _audit(actor, concern, "concern.logged", "immediate risk" if immediate_risk else "")
    urgency = "URGENT: a child may be at immediate risk. " if immediate_risk else ""
    _alert(
        concern,
        routing.recipients(concern, 0),
        subject=("URGENT: " if immediate_risk else "")
        + f"New concern {concern.reference} needs acknowledging",
        body=f"{urgency}A new online-safety concern ({concern.get_category_display().lower()}) "
        f"has been logged at {school.name} and needs acknowledging.",
    )
    return concern


@transaction.atomic
def concern_add_information(*, actor: User, concern: Concern, text: str) -> TimelineEntry:
    """What the person who logged a concern has learnt since: a new entry on the timeline the
    DSL reads, never a change to what they wrote. The reporter does not see it again."""
    concern = _locked(concern)
    if concern.reported_by_id != actor.pk:
        raise ConcernError("Only the person who logged this concern can add information here.")
    if concern.status == Status.CLOSED:
        raise ConcernError(
            "This concern has been closed. If something new has happened, log a new concern."
        )
    text = text.strip()
    if not text:
        raise ConcernError("Write what you want to add.")
    entry = _entry(
        concern, EntryKind.NOTE, actor, f"Added by the person who logged the concern: {text}"
    )
    _audit(actor, concern, "concern.information_added")
    _alert(
        concern,
        routing.recipients(concern, 0),
        subject=f"New information on concern {concern.reference}",
        body=f"The person who logged an online-safety concern at {concern.school.name} has "
        "added information to it.",
    )
    return entry


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


@transaction.atomic
def concern_acknowledge(*, actor: User, concern: Concern) -> Concern:
    concern = _locked(concern)
    if concern.status != Status.REPORTED:
        return concern
    concern.status = Status.ACKNOWLEDGED
    concern.acknowledged_at = timezone.now()
    concern.acknowledged_by = actor
    concern.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
    entry = _entry(concern, EntryKind.STATUS, actor, "Acknowledged.")
    _steps_done(concern, _kept_by(KeptBy.ACKNOWLEDGEMENT), actor=actor, entry=entry)
    _audit(actor, concern, "concern.acknowledged")
    return concern


# Statuses a worker may move an open concern to by hand; closing has its own service.
SETTABLE = (Status.IN_PROGRESS, Status.AWAITING_AGENCY)


@transaction.atomic
def concern_set_status(*, actor: User, concern: Concern, status: str, note: str = "") -> Concern:
    concern = _locked_open(concern)
    if status not in SETTABLE:
        raise ConcernError("Choose in progress or awaiting outside agency.")
    if concern.status == Status.REPORTED:
        raise ConcernError("Acknowledge the concern first.")
    if concern.status == status:
        return concern
    old = concern.get_status_display()
    concern.status = status
    concern.save(update_fields=["status", "updated_at"])
    _entry(
        concern,
        EntryKind.STATUS,
        actor,
        f"Status changed from {old.lower()} to {concern.get_status_display().lower()}."
        + (f" {note}" if note else ""),
    )
    _audit(actor, concern, "concern.status_changed", status)
    return concern


@transaction.atomic
def concern_add_note(
    *, actor: User, concern: Concern, text: str, kind: str = EntryKind.NOTE
) -> TimelineEntry:
    if kind not in (EntryKind.NOTE, EntryKind.ACTION):
        raise ConcernError("A note or an action.")
    if not text.strip():
        raise ConcernError("Write the note first.")
    entry = _entry(concern, kind, actor, text.strip())
    _audit(actor, concern, f"concern.{kind}_added")
    return entry


@transaction.atomic
def concern_correct(
    *, actor: User, concern: Concern, entry: TimelineEntry, text: str
) -> TimelineEntry:
    """A correction never changes the entry it corrects: it is a new entry pointing at it."""
    if entry.concern_id != concern.pk:
        raise ConcernError("That entry belongs to another concern.")
    if not text.strip():
        raise ConcernError("Write the correction first.")
    new = _entry(concern, EntryKind.CORRECTION, actor, text.strip(), corrects=entry)
    _audit(actor, concern, "concern.entry_corrected")
    return new


@transaction.atomic
def step_complete(
    *, actor: User, concern: Concern, step: ProcedureStep, done: bool, note: str = ""
) -> ProcedureStep:
    concern = _locked_open(concern)
    step = ProcedureStep.objects.select_for_update().get(pk=step.pk, concern=concern)
    if step.state != StepState.OPEN:
        raise ConcernError("That step has been recorded already; add a note to say more.")
    if step.key in KEPT_BY:
        raise ConcernError(f"{step.label}: {KEPT_BY[step.key].label}")
    if not done and not note.strip():
        raise ConcernError("Say why this step does not apply.")
    step.state = StepState.DONE if done else StepState.NOT_APPLICABLE
    step.done_by = actor
    step.done_at = timezone.now()
    step.note = note.strip()
    step.full_clean()
    text = f"{step.label}: {'done' if done else 'not applicable'}." + (
        f" {step.note}" if step.note else ""
    )
    # The entry first: the step changes once (PostgreSQL refuses a second change), linked to it.
    step.entry = _entry(concern, EntryKind.STEP, actor, text)
    step.save()
    _audit(actor, concern, "concern.step_recorded", step.key)
    return step


@transaction.atomic
def referral_record(
    *,
    actor: User,
    concern: Concern,
    referred: bool,
    agency: str = "",
    referred_on: datetime.date | None = None,
    reference: str = "",
    reasons: str = "",
) -> Referral:
    concern = _locked_open(concern)
    review = nudes_review(concern) if concern.category == Category.NUDES else None
    referral = Referral(
        concern=concern,
        referred=referred,
        agency=agency if referred else "",
        referred_on=referred_on if referred else None,
        reference=reference if referred else "",
        reasons=reasons.strip(),
        recorded_by=actor,
    )
    referral.full_clean()
    referral.save()
    if referred:
        text = f"Referred to {referral.get_agency_display()} on {referred_on:%d %B %Y}" + (
            f" (reference {reference})" if reference else ""
        )
        text += f". {referral.reasons}" if referral.reasons else "."
    else:
        text = f"Decision not to refer: {referral.reasons}"
    entry = _entry(concern, EntryKind.REFERRAL, actor, text)
    if referred:
        steps = {key for key, a in AGENCY_STEPS.items() if a == referral.agency}
        _steps_done(concern, steps, actor=actor, entry=entry)
    if decides(concern, referral, review):
        _steps_done(concern, _kept_by(KeptBy.REFERRAL_DECISION), actor=actor, entry=entry)
    _audit(
        actor,
        concern,
        "concern.referral_recorded",
        referral.agency if referred else "decision not to refer",
    )
    return referral


@transaction.atomic
def review_meeting_record(
    *, actor: User, concern: Concern, held_on: datetime.date, attendees: str, summary: str
) -> ReviewMeeting:
    concern = _locked_open(concern)
    if concern.category != Category.NUDES:
        raise ConcernError("An initial review meeting is recorded for sharing nudes only.")
    if ReviewMeeting.objects.filter(concern=concern).exists():
        raise ConcernError("The initial review meeting is recorded already; add a note instead.")
    meeting = ReviewMeeting(
        concern=concern,
        held_on=held_on,
        attendees=attendees.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    entry = _entry(
        concern,
        EntryKind.REVIEW,
        actor,
        f"Initial review meeting on {held_on:%d %B %Y}. Attended: {meeting.attendees}. "
        f"{meeting.summary}",
    )
    _steps_done(concern, _kept_by(KeptBy.REVIEW_MEETING), actor=actor, entry=entry)
    _audit(actor, concern, "concern.review_meeting_recorded")
    return meeting


@transaction.atomic
def nudes_answer(
    *, actor: User, concern: Concern, question: str, answer: bool, note: str = ""
) -> NudesAnswer:
    """Answer the five immediate-referral questions one by one, in order, after the meeting."""
    concern = _locked_open(concern)
    if concern.category != Category.NUDES:
        raise ConcernError("These questions are for sharing nudes only.")
    review = nudes_review(concern)
    if review.meeting is None:
        raise ConcernError("Record the initial review meeting first.")
    expected = review.next_question
    if expected is None:
        raise ConcernError("All five questions have been answered.")
    if question != expected[0]:
        raise ConcernError("Answer the questions in order.")
    row = NudesAnswer.objects.create(
        concern=concern, question=question, answer=answer, note=note.strip(), answered_by=actor
    )
    entry = _entry(
        concern,
        EntryKind.ANSWER,
        actor,
        f"{expected[1]} {'Yes' if answer else 'No'}." + (f" {row.note}" if row.note else ""),
    )
    # A decision recorded before the last answer becomes the referral decision with it.
    if nudes_review(concern).decided:
        _steps_done(concern, _kept_by(KeptBy.REFERRAL_DECISION), actor=actor, entry=entry)
    _audit(actor, concern, "concern.referral_question_answered", question)
    return row


@transaction.atomic
def nudes_decision_record(*, actor: User, concern: Concern, reasons: str) -> Referral:
    """All five questions answered no: the DSL's decision to handle it in school, and why, kept
    as a decision not to refer (UKCIS advice)."""
    concern = _locked_open(concern)
    if concern.category != Category.NUDES:
        raise ConcernError("This decision is recorded for sharing nudes only.")
    review = nudes_review(concern)
    if not review.answers_complete:
        raise ConcernError("Answer the five questions first.")
    if review.any_yes:
        raise ConcernError(
            "A question was answered yes: record the referral to the police and/or children's "
            "social care instead."
        )
    if review.handled_in_school:
        raise ConcernError("The decision is recorded already; add a note to say more.")
    if not reasons.strip():
        raise ConcernError("Say why it can be handled in school.")
    return referral_record(
        actor=actor,
        concern=concern,
        referred=False,
        reasons=f"Handled in school after the initial review: {reasons.strip()}",
    )


@transaction.atomic
def concern_close(
    *,
    actor: User,
    concern: Concern,
    outcome: str,
    lessons_learnt: str,
    parents_informed: bool | None,
    parents_not_informed_reason: str = "",
) -> Concern:
    concern = _locked(concern)
    if concern.status == Status.CLOSED:
        raise ConcernError("This concern is closed already.")
    missing = missing_for_close(concern)
    if not outcome.strip():
        missing.append("Write the outcome.")
    if not lessons_learnt.strip():
        missing.append("Write the lessons learnt (or that there are none, and why).")
    if parents_informed is None:
        missing.append("Say whether the parents were informed.")
    elif not parents_informed and not parents_not_informed_reason.strip():
        missing.append("Say why the parents were not informed.")
    if missing:
        raise ConcernError("This concern cannot close yet:\n" + "\n".join(missing))
    concern.status = Status.CLOSED
    concern.closed_at = timezone.now()
    concern.closed_by = actor
    concern.outcome = outcome.strip()
    concern.lessons_learnt = lessons_learnt.strip()
    concern.parents_informed = parents_informed
    concern.parents_not_informed_reason = (
        "" if parents_informed else parents_not_informed_reason.strip()
    )
    concern.full_clean()
    concern.save()
    parents = (
        "Parents informed."
        if parents_informed
        else f"Parents not informed: {concern.parents_not_informed_reason}"
    )
    entry = _entry(
        concern,
        EntryKind.CLOSED,
        actor,
        f"Closed. Outcome: {concern.outcome} Lessons learnt: {concern.lessons_learnt} {parents}",
    )
    # The answer on the closing form is the "parents informed" step: not informed, with the
    # reason, is the step not applying.
    _steps_done(
        concern,
        _kept_by(KeptBy.CLOSING),
        actor=actor,
        entry=entry,
        state=StepState.DONE if parents_informed else StepState.NOT_APPLICABLE,
        note="" if parents_informed else concern.parents_not_informed_reason,
    )
    _audit(actor, concern, "concern.closed")
    return concern


@transaction.atomic
def concern_reopen(*, actor: User, concern: Concern, reason: str) -> Concern:
    concern = _locked(concern)
    if concern.status != Status.CLOSED:
        raise ConcernError("Only a closed concern can be reopened.")
    if not reason.strip():
        raise ConcernError("Say why the concern is being reopened.")
    concern.status = Status.IN_PROGRESS
    concern.closed_at = None
    concern.closed_by = None
    concern.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    _entry(concern, EntryKind.REOPENED, actor, f"Reopened: {reason.strip()}")
    _audit(actor, concern, "concern.reopened")
    return concern


def concern_record_read(*, actor: User, concern: Concern, what: str = "concern") -> None:
    """Every read of a concern is in the audit trail (KCSIE: who looked, and when)."""
    audit_record(
        actor=actor,
        school=concern.school,
        action=f"{what}.read" if what != "concern" else "concern.read",
        obj=concern,
        summary=concern.reference,
    )


def concerns_record_read(
    *, actor: User, school: School, concerns: Sequence[Concern], what: str
) -> None:
    """Several concerns read on one page (a pupil's chronology, the dashboard's list, a
    reporter's own list): one event each, written in one go so the page's queries do not grow
    with the number of concerns."""
    audit_record_many(
        actor=actor,
        school=school,
        entries=[Entry(action=f"{what}.read", obj=c, summary=c.reference) for c in concerns],
    )


def escalation_due(concern: Concern, now: datetime.datetime) -> int:
    """The escalation level a still-unacknowledged concern should have reached by now."""
    minutes = (
        concern.school.immediate_risk_escalation_minutes
        if concern.immediate_risk
        else concern.school.escalation_minutes
    )
    waited = (now - concern.created_at).total_seconds() / 60
    return min(int(waited // minutes), routing.level_count(concern) - 1)


def concern_escalate(*, concern_id: int, now: datetime.datetime | None = None) -> int:
    """Alert the next people on the list for each level now due; each level once, ever.

    Safe to run twice or in two workers at once: the Reminder log's unique key lets one
    claim each level.
    """
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        concern = (
            Concern.objects.select_for_update()
            .select_related("school")
            .filter(pk=concern_id, status=Status.REPORTED)
            .first()
        )
        if concern is None:
            return 0
        due = escalation_due(concern, now)
        for level in range(concern.escalation_level + 1, due + 1):
            if (
                reminder_claim(
                    school=concern.school,
                    subject=f"concern:{concern.code}",
                    kind="concern.escalation",
                    period=str(level),
                )
                is None
            ):
                continue
            minutes = int((now - concern.created_at).total_seconds() // 60)
            _alert(
                concern,
                routing.recipients(concern, level),
                subject=f"Escalated: concern {concern.reference} not acknowledged",
                body=f"An online-safety concern at {concern.school.name} has not been "
                f"acknowledged after {minutes} minutes. Please make sure it is picked up now.",
            )
            _entry(
                concern,
                EntryKind.ESCALATED,
                None,
                f"Escalated to level {level}: not acknowledged after {minutes} minutes.",
            )
            audit_record(
                actor=None,
                school=concern.school,
                action="concern.escalated",
                obj=concern,
                summary=f"{concern.reference}: level {level}",
            )
            sent += 1
        if due > concern.escalation_level:
            Concern.objects.filter(pk=concern.pk).update(escalation_level=due)
    return sent


def unacknowledged_concern_ids() -> list[int]:
    return list(Concern.objects.filter(status=Status.REPORTED).values_list("id", flat=True))


__all__ = [
    "OPEN_STATUSES",
    "ConcernError",
    "EvidenceRefused",
    "InvolvedPupil",
]
