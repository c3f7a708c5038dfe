"""What a concern's procedure still needs, read from its records: one place for the rules, so the
concern's page, its closing page and the services that write all agree.

KCSIE (Annex C) asks for every decision to be kept with its reasons, the reasons for not
referring included; UKCIS advice decides the referral for sharing nudes.
"""

from dataclasses import dataclass

from incidents.categories import KEPT_BY, NUDES_QUESTIONS, Category, info
from incidents.models import (
    Agency,
    Concern,
    NudesAnswer,
    Referral,
    ReviewMeeting,
    Status,
    StepState,
)

# After the five questions, UKCIS advice names these two agencies: an IWF report or a CEOP
# report is not the referral decision.
NUDES_AGENCIES = (Agency.POLICE, Agency.SOCIAL_CARE)

REFERRAL_DECISION_MISSING = (
    "Record the referral decision: a referral to an outside agency with the reasons for it, or "
    "a decision not to refer with its reasons."
)


@dataclass(frozen=True)
class NudesReview:
    """Where the sharing-nudes initial review has got to: the meeting, the five answers in order,
    and whether the referral decision that the answers call for is recorded."""

    meeting: ReviewMeeting | None
    answered: list[tuple[str, NudesAnswer]]  # (question, answer), in the advice's order
    referrals: list[Referral]

    @property
    def next_question(self) -> tuple[str, str] | None:
        done = {a.question for _, a in self.answered}
        return next(((k, text) for k, text in NUDES_QUESTIONS if k not in done), None)

    @property
    def answers_complete(self) -> bool:
        return len(self.answered) == len(NUDES_QUESTIONS)

    @property
    def any_yes(self) -> bool:
        return any(a.answer for _, a in self.answered)

    @property
    def all_no(self) -> bool:
        return self.answers_complete and not self.any_yes

    @property
    def referred(self) -> list[Referral]:
        """Referrals to the police or children's social care, with the reasons for them."""
        return [
            r for r in self.referrals if r.referred and r.agency in NUDES_AGENCIES and r.reasons
        ]

    @property
    def handled_in_school(self) -> list[Referral]:
        return [r for r in self.referrals if not r.referred]

    @property
    def decided(self) -> bool:
        # Any yes: only a referral to the police or social care will do. All no: the school may
        # handle it and say why (a decision not to refer), or refer to them all the same.
        return bool(self.referred) or (self.all_no and bool(self.handled_in_school))

    @property
    def missing(self) -> list[str]:
        if self.meeting is None:
            return ["The initial review meeting has not been recorded."]
        if not self.answers_complete:
            return ["Not all five immediate-referral questions have been answered."]
        if self.decided:
            return []
        if self.any_yes:
            return [
                "A question was answered yes: record the referral to the police and/or "
                "children's social care, with the reasons for it."
            ]
        return [
            "All five questions were answered no: record the decision to handle it in school, "
            "and why (a decision not to refer)."
        ]


def nudes_review(concern: Concern) -> NudesReview:
    # .all() reads what the page's selector prefetched, and queries only where it did not.
    meeting = ReviewMeeting.objects.filter(concern=concern).first()
    answers = {a.question: a for a in concern.nudes_answers.all()}
    return NudesReview(
        meeting=meeting,
        answered=[(text, answers[key]) for key, text in NUDES_QUESTIONS if key in answers],
        referrals=list(concern.referrals.all()),
    )


def decides(concern: Concern, referral: Referral, review: NudesReview | None = None) -> bool:
    """Whether this referral is the concern's referral decision, with its reasons."""
    if concern.category == Category.NUDES:
        if not referral.referred:
            return review is not None and review.all_no
        return referral.agency in NUDES_AGENCIES and bool(referral.reasons)
    return bool(referral.reasons)


def referral_decision_missing(concern: Concern, review: NudesReview | None = None) -> list[str]:
    """Every child-protection concern needs its referral decision before it closes."""
    if concern.category == Category.NUDES:
        return (review or nudes_review(concern)).missing
    if not info(concern.category).child_protection:
        return []
    if any(decides(concern, r) for r in concern.referrals.all()):
        return []
    return [REFERRAL_DECISION_MISSING]


def missing_for_close(concern: Concern, review: NudesReview | None = None) -> list[str]:
    """What stops this concern closing, in words the DSL can act on.

    A step that a record does (KEPT_BY) is not listed as a step: the record it needs is listed
    instead, and whether the parents were informed is answered on the closing form itself.
    """
    missing = []
    if concern.status == Status.REPORTED:
        missing.append("The concern has not been acknowledged.")
    missing += [
        f"Procedure step not done: {s.label}"
        for s in concern.steps.all()
        if s.required and s.state == StepState.OPEN and s.key not in KEPT_BY
    ]
    return missing + referral_decision_missing(concern, review)
