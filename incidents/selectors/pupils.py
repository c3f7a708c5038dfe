"""A pupil's side: finding pupils to name, their chronology and the concerns about them."""

from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from django.db.models import (
    Q,
    QuerySet,
)

from esafety.baked import Values, baked, fields_of
from esafety.people.access import SchoolAccess
from esafety.people.models import Pupil, School
from incidents.models import (
    ConcernPupil,
    TimelineEntry,
)
from incidents.selectors.visibility import (
    VisibilityShape,
    baked_access,
    concerns_for,
    visibility_shape,
)


def pupils_matching(*, school: School, query: str, limit: int = 10) -> list[Pupil]:
    """Pupils on roll whose names start with what was typed, for the logging form."""
    qs = Pupil.objects.filter(school=school, left_date__isnull=True).select_related("school_class")
    words = query.split()
    if not words:
        return []
    for word in words:
        qs = qs.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
    return list(qs.order_by("last_name", "first_name")[:limit])


# A chronology page holds this many entries: a child's history of years is read a page at a
# time, newest page first, so the page's size and time do not grow with it.
CHRONOLOGY_PAGE = 100


@dataclass(frozen=True)
class ChronologyPage:
    entries: list[TimelineEntry]  # oldest first
    earlier: UUID | None  # the code to ask for the entries before these (?before=), if any
    later: UUID | None  # the code to ask for the entries after these (?after=), if any


def chronology(
    access: SchoolAccess,
    pupil: Pupil,
    *,
    before: UUID | None = None,
    after: UUID | None = None,
    size: int = CHRONOLOGY_PAGE,
) -> ChronologyPage:
    """One page of the entries about one pupil across the concerns the member may see, in time
    order: the newest `size`, or those just before or after the entry named (keyset paging on
    (at, id), so no page counts or skips the rows before it). An entry not in this member's
    chronology of this pupil is treated as no entry named."""
    visible = concerns_for(access).filter(pupil_links__pupil=pupil).values("pk")
    anchor = None
    named = before or after
    if named is not None:
        found = TimelineEntry.objects.filter(concern__in=visible, code=named)
        anchor = found.values("at", "id").first()
    values: dict[str, Any] = {"school": access.school.pk, "user": access.user.pk, "pupil": pupil.pk}
    if anchor:
        values.update(at=anchor["at"], id=anchor["id"])
    toward = ("later" if after else "earlier") if anchor else "newest"
    got = _entries.objects(
        TimelineEntry,
        (visibility_shape(access), toward),
        related=ENTRY_RELATED,
        limit=size + 1,
        **values,
    )
    if toward == "later":
        shown = got[:size]
        more_later = len(got) > size
        more_earlier = True
    else:
        shown = got[:size][::-1]
        more_earlier = len(got) > size
        more_later = anchor is not None
    return ChronologyPage(
        entries=shown,
        earlier=shown[0].code if shown and more_earlier else None,
        later=shown[-1].code if shown and more_later else None,
    )


ENTRY_RELATED = ("author", "concern", "corrects")


@baked
def _entries(shape: tuple[VisibilityShape, str], v: Values) -> QuerySet:
    """A page of the chronology's entries: the newest, or those just earlier or later than the
    entry at (v.at, v.id)."""
    visible_shape, toward = shape
    access = baked_access(visible_shape, v)
    visible = concerns_for(access).filter(pupil_links__pupil_id=v.pupil).values("pk")
    rows = TimelineEntry.objects.filter(concern__in=visible)
    if toward == "later":
        rows = rows.filter(Q(at__gt=v.at) | Q(at=v.at, id__gt=v.id)).order_by("at", "id")
    elif toward == "earlier":
        rows = rows.filter(Q(at__lt=v.at) | Q(at=v.at, id__lt=v.id)).order_by("-at", "-id")
    else:
        rows = rows.order_by("-at", "-id")
    return cast(QuerySet, rows.values(*fields_of(TimelineEntry, ENTRY_RELATED)))


@baked
def _links(shape: VisibilityShape, v: Values) -> QuerySet:
    visible = concerns_for(baked_access(shape, v)).values("pk")
    links = ConcernPupil.objects.filter(pupil_id=v.pupil, concern__in=visible)
    ordered = links.order_by("-concern__created_at", "-concern__id")
    return cast(QuerySet, ordered.values(*fields_of(ConcernPupil, ("concern",))))


def pupil_concern_links(
    access: SchoolAccess, pupil: Pupil, limit: int = 50
) -> tuple[list[ConcernPupil], bool]:
    """The most recent `limit` concerns about one pupil the member may see (oldest of them
    first), each with the pupil's role in it, and whether there are older ones."""
    got = _links.objects(
        ConcernPupil,
        visibility_shape(access),
        related=("concern",),
        limit=limit + 1,
        school=access.school.pk,
        user=access.user.pk,
        pupil=pupil.pk,
    )
    for link in got:
        # The member's school, already loaded: the concern is one of its concerns.
        link.concern.school = access.school
    return got[:limit][::-1], len(got) > limit
