"""The annual review: completed by the named senior leader, signed off by the named governor,
the next one due a year after it is signed."""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from esafety.people.models import School, User
from filtering.models import AnnualReview, ReviewItem, RoleKind
from filtering.services.common import FilteringError, audit, current_roles


def _named(school: School, kind: str) -> User | None:
    row = current_roles(school).get(kind)
    return row.user if row is not None else None


@transaction.atomic
def review_complete(
    *, school: School, actor: User, answers: dict[str, dict], summary: str
) -> AnnualReview:
    leader = _named(school, RoleKind.SENIOR_LEADER)
    if leader is None:
        raise FilteringError("Name the senior leader responsible first: they complete the review.")
    if leader.pk != actor.pk:
        raise FilteringError(f"The review is completed by the named senior leader, {leader}.")
    governor = _named(school, RoleKind.GOVERNOR)
    if governor is None:
        raise FilteringError("Name the governor responsible first: they sign the review off.")
    if AnnualReview.objects.filter(school=school, signed_at__isnull=True).exists():
        raise FilteringError("A review is waiting for the governor's signature already.")
    missing = [item for item in ReviewItem.values if item not in answers]
    if missing:
        raise FilteringError("Answer every item of the checklist.")
    clean = {}
    for item in ReviewItem.values:
        met = bool(answers[item].get("met"))
        note = str(answers[item].get("note", "")).strip()
        if not met and not note:
            raise ValidationError(
                {f"{item}_note": f"{ReviewItem(item).label}: not met, so say what will be done."}
            )
        clean[item] = {"met": met, "note": note}
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": "Summarise what the review found."})
    review = AnnualReview.objects.create(
        school=school,
        answers=clean,
        summary=summary,
        completed_by=actor,
        completed_at=timezone.now(),
        governor=governor,
    )
    audit(actor, school, "filtering.review_completed", review)
    return review


@transaction.atomic
def review_sign(*, review: AnnualReview, actor: User, signature: str) -> AnnualReview:
    governor = _named(review.school, RoleKind.GOVERNOR)
    if governor is None or governor.pk != actor.pk:
        raise FilteringError(
            "Only the governor named as responsible for filtering and monitoring signs the review."
        )
    signature = " ".join(signature.split())
    if len(signature) < 2:
        raise ValidationError({"signature": "Type your full name as your signature."})
    now = timezone.now()
    signed = AnnualReview.objects.filter(pk=review.pk, signed_at__isnull=True).update(
        signed_at=now,
        signature=signature,
        governor=actor,
        next_due=timezone.localdate(now) + relativedelta(years=1),
    )
    if not signed:
        raise FilteringError("This review is signed already.")
    review.refresh_from_db()
    audit(actor, review.school, "filtering.review_signed", review)
    return review
