"""The sharing-nudes initial review (UKCIS advice): the meeting, the five immediate-referral
questions in order, and the decision to handle it in school when every answer is no."""

import datetime

from django.db import transaction

from esafety.people.models import User
from incidents.categories import Category, KeptBy
from incidents.models import Concern, EntryKind, NudesAnswer, Referral, ReviewMeeting
from incidents.procedure import nudes_review
from incidents.services.common import (
    ConcernError,
    _audit,
    _entry,
    _kept_by,
    _locked_open,
    _steps_done,
)
from incidents.services.work import referral_record


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
