"""Withdrawal → take-down: when a pupil may no longer appear for a purpose, every publication
and re-share of them for it becomes a take-down, once, listed until it is closed."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from consent.models import Publication, PublicationPupil, Purpose, TakeDown, TakeDownReason
from consent.services.common import ConsentError, audit
from esafety.audit.services import Entry, audit_record_many
from esafety.people.models import Pupil, User


def takedowns_open_for(
    *,
    actor: User | None,
    pupil: Pupil,
    purposes: Iterable[Purpose],
    reason: str,
    group_only: bool = False,
) -> list[TakeDown]:
    """Open a take-down for each use of the pupil for these purposes that has none yet
    (a use already taken down once is not opened again). `group_only`: only the uses with other
    pupils in them (the parent now says "on their own only")."""
    uses = Publication.objects.filter(
        school=pupil.school_id,
        purpose__in=list(purposes),
        pk__in=PublicationPupil.objects.filter(pupil=pupil).values("publication_id"),
    ).exclude(takedowns__pupil=pupil)
    if group_only:
        uses = uses.annotate(n=Count("appearances")).filter(n__gt=1)
    now = timezone.now()
    made = []
    for publication in uses.order_by("id"):
        takedown, created = TakeDown.objects.get_or_create(
            publication=publication,
            pupil=pupil,
            defaults={"school_id": pupil.school_id, "reason": reason, "opened_at": now},
        )
        if created:
            made.append(takedown)
    audit_record_many(
        actor=actor,
        school=pupil.school,
        entries=[
            Entry(
                action="consent.takedown_opened",
                obj=t,
                summary=f"pupil MIS {pupil.mis_id}, {TakeDownReason(reason).label}",
            )
            for t in made
        ],
    )
    return made


@transaction.atomic
def takedown_close(
    *, actor: User, takedown: TakeDown, how: str, cannot_recall: bool = False
) -> TakeDown:
    """Mark a take-down done: removed (who, when, how), or not recallable with a note (a
    printed newsletter)."""
    how = " ".join(how.split())
    if not how:
        raise ConsentError(
            "Say what could not be recalled, and why (for example: printed newsletter)."
            if cannot_recall
            else "Say how it was removed (for example: deleted from the website)."
        )
    # Claimed with a filtered update: two people closing the same one record it once.
    now = timezone.now()
    closed = TakeDown.objects.filter(pk=takedown.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=actor, how=how[:300], cannot_recall=cannot_recall, updated_at=now
    )
    if not closed:
        raise ConsentError("This take-down is already marked done.")
    takedown.refresh_from_db()
    audit(
        actor,
        takedown.publication.school,
        "consent.takedown_closed",
        takedown,
        "cannot be recalled" if cannot_recall else "removed",
    )
    return takedown
