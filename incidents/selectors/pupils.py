"""A pupil's side: finding pupils to name, their chronology and the concerns about them."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import (
    Q,
)

from esafety.people.access import SchoolAccess
from esafety.people.models import Pupil, School
from incidents.models import (
    ConcernPupil,
    TimelineEntry,
)
from incidents.selectors.visibility import concerns_for


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
    entries = TimelineEntry.objects.filter(concern__in=visible)
    anchor = None
    named = before or after
    if named is not None:
        anchor = entries.filter(code=named).values("at", "id").first()
    rows = entries.select_related("author", "concern", "corrects")
    if anchor and after:
        later = Q(at__gt=anchor["at"]) | Q(at=anchor["at"], id__gt=anchor["id"])
        got = list(rows.filter(later).order_by("at", "id")[: size + 1])
        shown = got[:size]
        more_later = len(got) > size
        more_earlier = True
    else:
        if anchor:
            rows = rows.filter(Q(at__lt=anchor["at"]) | Q(at=anchor["at"], id__lt=anchor["id"]))
        got = list(rows.order_by("-at", "-id")[: size + 1])
        shown = got[:size][::-1]
        more_earlier = len(got) > size
        more_later = anchor is not None
    return ChronologyPage(
        entries=shown,
        earlier=shown[0].code if shown and more_earlier else None,
        later=shown[-1].code if shown and more_later else None,
    )


def pupil_concern_links(
    access: SchoolAccess, pupil: Pupil, limit: int = 50
) -> tuple[list[ConcernPupil], bool]:
    """The most recent `limit` concerns about one pupil the member may see (oldest of them
    first), each with the pupil's role in it, and whether there are older ones."""
    got = list(
        ConcernPupil.objects.filter(pupil=pupil, concern__in=concerns_for(access).values("pk"))
        .select_related("concern__school")
        .order_by("-concern__created_at", "-concern__id")[: limit + 1]
    )
    return got[:limit][::-1], len(got) > limit
