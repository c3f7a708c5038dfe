"""Publishing: "may we use this?" answered before anything is used, and every use recorded,
re-shares included, so that a withdrawal finds every copy."""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from consent.models import Channel, Publication, PublicationPupil, Purpose
from consent.selectors import register_for
from consent.services.common import ConsentError, audit
from esafety.people.models import Pupil, User


def _clean_text(value: str, limit: int) -> str:
    return " ".join(value.split())[:limit]


@transaction.atomic
def publication_record(
    *,
    actor: User,
    purpose: Purpose,
    pupils: Sequence[Pupil],
    title: str,
    channel: str,
    reference: str = "",
    published_on: datetime.date | None = None,
) -> Publication:
    """Record a use after the check: refused when any pupil in it may not appear, or may appear
    only alone and is not alone."""
    school = purpose.school
    if not pupils:
        raise ConsentError("Choose the pupils in the photo or video.")
    if any(p.school_id != school.pk for p in pupils):
        raise ConsentError("Every pupil must be on this school's roll.")
    if channel not in Channel.values:
        raise ConsentError("Say where it will be used.")
    title = _clean_text(title, 200)
    if not title:
        raise ConsentError("Say what it is (for example: Year 5 sports day, relay race).")
    register = register_for(school=school, pupils=list(pupils), purpose=purpose)
    if register.may_not:
        raise ConsentError(
            f"{len(register.may_not)} of these pupils may not appear: take them out of the "
            "photo or video, and out of this list, first."
        )
    if register.alone_only and len(pupils) > 1:
        raise ConsentError(
            f"{len(register.alone_only)} of these pupils may appear only on their own, not in "
            "a group."
        )
    publication = Publication.objects.create(
        school=school,
        purpose=purpose,
        title=title,
        channel=channel,
        reference=_clean_text(reference, 500),
        published_on=published_on or timezone.localdate(),
        recorded_by=actor,
    )
    PublicationPupil.objects.bulk_create(
        [PublicationPupil(publication=publication, pupil=p) for p in pupils]
    )
    audit(
        actor,
        school,
        "consent.published",
        publication,
        f"{purpose.label}, {channel}, {len(pupils)} pupils",
    )
    return publication


@transaction.atomic
def reshare_record(
    *,
    actor: User,
    original: Publication,
    channel: str,
    reference: str = "",
    published_on: datetime.date | None = None,
) -> Publication:
    """A copy of a use somewhere else (a staff account's re-share, the newsletter reprinting a
    website photo), recorded against the original with the same pupils, checked again."""
    root = original.original or original
    pupils = list(Pupil.objects.filter(pk__in=root.appearances.values("pupil_id")))
    if root.takedowns.filter(closed_at__isnull=True).exists():
        raise ConsentError("This photo or video is being taken down: it cannot be re-shared.")
    copy = publication_record(
        actor=actor,
        purpose=root.purpose,
        pupils=pupils,
        title=root.title,
        channel=channel,
        reference=reference,
        published_on=published_on,
    )
    copy.original = root
    copy.save(update_fields=["original", "updated_at"])
    audit(actor, root.school, "consent.reshared", copy, f"of {root.code}, {channel}")
    return copy
