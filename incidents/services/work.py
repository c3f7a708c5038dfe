"""Working a concern: acknowledging it, its status, notes and corrections, the procedure's steps,
referrals, closing and reopening, and the audited reads of it. Each writes its timeline entry and
its audit event; the audit summary never carries a child's name or the narrative."""

import datetime
import uuid
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from esafety.audit.services import Entry, audit_record, audit_record_many
from esafety.people.models import School, User
from incidents.categories import AGENCY_STEPS, KEPT_BY, Category, KeptBy
from incidents.models import (
    Concern,
    EntryKind,
    ProcedureStep,
    Referral,
    Status,
    StepState,
    TimelineEntry,
    reference_of,
)
from incidents.procedure import decides, missing_for_close, nudes_review
from incidents.services.common import (
    ConcernError,
    _audit,
    _entry,
    _kept_by,
    _locked,
    _locked_open,
    _steps_done,
)


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
    *, actor: User, school: School, codes: Sequence[uuid.UUID], what: str
) -> None:
    """Several concerns read on one page (a pupil's chronology, the dashboard's list, a
    reporter's own list): one event each, written in one go so the page's queries do not grow
    with the number of concerns."""
    audit_record_many(
        actor=actor,
        school=school,
        entries=[
            Entry(
                action=f"{what}.read",
                object_type=Concern._meta.label_lower,
                object_code=str(code),
                summary=reference_of(code),
            )
            for code in codes
        ],
    )
