"""Every read of consent data, scoped to the school (and, for parents, to their own children).

`states_for` is THE answer to "may these pupils appear for these purposes?": the parent's page,
the register, the check before publishing, the do-not-photograph lists and PDF and the figures
all use it, in three queries whatever the number of pupils.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Q, QuerySet, Subquery
from django.utils import timezone

from consent import rules
from consent.models import (
    ConsentSettings,
    Decision,
    FormVersion,
    Marking,
    Publication,
    Purpose,
    TakeDown,
)
from esafety.people.access import SchoolAccess
from esafety.people.models import Guardian, Pupil, Role, School, User

# Only they may mark a pupil, lift a marking, or read why a pupil is marked.
MARKING_ROLES = (Role.DSL, Role.HEAD)
LIST_LIMIT = 50


def settings_of(*, school: School) -> ConsentSettings:
    """The school's settings, or the defaults (unsaved) while it has none."""
    return ConsentSettings.objects.filter(school=school).first() or ConsentSettings(school=school)


def purposes_of(*, school: School, active: bool = True) -> QuerySet[Purpose]:
    qs = Purpose.objects.filter(school=school)
    return qs.filter(is_active=True) if active else qs


def purpose_of(*, school: School, code: UUID | str, active: bool = True) -> Purpose | None:
    return purposes_of(school=school, active=active).filter(code=code).first()


def current_form(*, school: School) -> FormVersion | None:
    return FormVersion.objects.filter(school=school).order_by("-number").first()


def renew_year(*, settings: ConsentSettings, school: School, today: datetime.date) -> int | None:
    if not settings.renew_each_year:
        return None
    return rules.academic_year(today, school.academic_year_start_month)


def states_for(
    *,
    school: School,
    pupils: Sequence[Pupil],
    purposes: Sequence[Purpose],
    today: datetime.date | None = None,
) -> dict[tuple[int, int], rules.State]:
    """Each (pupil id, purpose id)'s state. Three queries: settings, decisions, markings."""
    today = today or timezone.localdate()
    settings = settings_of(school=school)
    year = renew_year(settings=settings, school=school, today=today)
    ids = [p.pk for p in pupils]
    found: dict[tuple[int, int], list[Decision]] = defaultdict(list)
    for d in Decision.objects.filter(
        school=school, pupil_id__in=ids, purpose__in=list(purposes)
    ).only("id", "pupil_id", "purpose_id", "choice", "by_pupil", "decided_at"):
        found[(d.pupil_id, d.purpose_id)].append(d)
    marked = set(
        Marking.objects.filter(school=school, pupil_id__in=ids, lifted_at__isnull=True).values_list(
            "pupil_id", flat=True
        )
    )
    return {
        (pupil.pk, purpose.pk): rules.state(
            purpose=purpose,
            decisions=found.get((pupil.pk, purpose.pk), []),
            marked=pupil.pk in marked,
            left=pupil.left_date is not None and pupil.left_date <= today,
            pupil_decides=rules.decides_for_themselves(
                pupil.date_of_birth, today, settings.own_decision_age
            ),
            renew_year=year,
            start_month=school.academic_year_start_month,
        )
        for pupil in pupils
        for purpose in purposes
    }


# Parents.


def children_of(*, user: User, school: School) -> QuerySet[Pupil]:
    """A parent's own children on the school's roll for whom they hold parental
    responsibility: the only pupils whose consent they may see or change."""
    return (
        Pupil.objects.filter(
            school=school,
            left_date__isnull=True,
            guardians__user=user,
            guardians__parental_responsibility=True,
        )
        .select_related("school_class")
        .distinct()
        .order_by("first_name", "last_name")
    )


def guardianships(*, user: User, pupils: Iterable[Pupil]) -> dict[int, Guardian]:
    """The parent's guardian row for each of these children (one query)."""
    return {
        g.pupil_id: g
        for g in Guardian.objects.filter(
            user=user, pupil__in=list(pupils), parental_responsibility=True
        ).order_by("id")
    }


def own_decisions(*, pupils: Iterable[Pupil], purposes: Iterable[Purpose]) -> dict:
    """The latest decision of each kind (parent, pupil) per (pupil id, purpose id)."""
    latest: dict[tuple[int, int, bool], Decision] = {}
    for d in (
        Decision.objects.filter(pupil__in=list(pupils), purpose__in=list(purposes))
        .select_related("guardian")
        .order_by("decided_at", "id")
    ):
        latest[(d.pupil_id, d.purpose_id, d.by_pupil)] = d
    return latest


# Staff.


def pupil_of(*, school: School, code: UUID | str, on_roll: bool = True) -> Pupil | None:
    qs = Pupil.objects.filter(school=school, code=code).select_related("school_class")
    if on_roll:
        qs = qs.filter(left_date__isnull=True)
    return qs.first()


def guardians_of(*, pupil: Pupil) -> QuerySet[Guardian]:
    """The pupil's guardians who hold parental responsibility: who may decide."""
    return Guardian.objects.filter(pupil=pupil, parental_responsibility=True).order_by("id")


def pupil_history(*, pupil: Pupil) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(pupil=pupil)
        .select_related("purpose", "guardian", "recorded_by", "form_version")
        .order_by("-decided_at", "-id")
    )


def active_marking(*, pupil: Pupil) -> Marking | None:
    return Marking.objects.filter(pupil=pupil, lifted_at__isnull=True).first()


def marking_reason(*, access: SchoolAccess, marking: Marking | None) -> str:
    """Why a pupil is marked, for the DSL and the head only; everyone else reads nothing."""
    if marking is None or not access.has(*MARKING_ROLES):
        return ""
    return marking.reason


def pupils_in_group(
    *,
    school: School,
    class_code: UUID | None = None,
    year_group: str = "",
    codes: Sequence[UUID] = (),
    limit: int | None = None,
) -> list[Pupil]:
    """The pupils on roll in a class, a year group or a named list; with `limit`, at most
    limit + 1 of them (so the caller can tell "more than the limit" without counting)."""
    qs = Pupil.objects.filter(school=school, left_date__isnull=True).select_related("school_class")
    if class_code:
        qs = qs.filter(school_class__code=class_code)
    elif year_group:
        qs = qs.filter(year_group=year_group)
    elif codes:
        qs = qs.filter(code__in=list(codes))
    else:
        return []
    qs = qs.order_by("last_name", "first_name", "id")
    return list(qs[: limit + 1] if limit is not None else qs)


@dataclass(frozen=True)
class Register:
    """Who may not appear, and who only alone, among some pupils for one purpose."""

    may_not: list[tuple[Pupil, rules.State]]
    alone_only: list[Pupil]
    may: list[Pupil]


def register_for(*, school: School, pupils: Sequence[Pupil], purpose: Purpose) -> Register:
    states = states_for(school=school, pupils=pupils, purposes=[purpose])
    may_not, alone, may = [], [], []
    for pupil in pupils:
        s = states[(pupil.pk, purpose.pk)]
        if s.answer is rules.Answer.MAY_NOT:
            may_not.append((pupil, s))
        elif s.answer is rules.Answer.ALONE_ONLY:
            alone.append(pupil)
        else:
            may.append(pupil)
    return Register(may_not=may_not, alone_only=alone, may=may)


# Publications and take-downs.


def publications_of(*, school: School) -> QuerySet[Publication]:
    return (
        Publication.objects.filter(school=school)
        .select_related("purpose", "recorded_by", "original")
        .annotate(
            n_pupils=Count("appearances", distinct=True),
            n_open=Count("takedowns", filter=Q(takedowns__closed_at__isnull=True), distinct=True),
        )
        .order_by("-published_on", "-id")
    )


def publication_of(*, school: School, code: UUID | str) -> Publication | None:
    return (
        Publication.objects.filter(school=school, code=code)
        .select_related("purpose", "recorded_by", "original")
        .first()
    )


def publication_pupils(*, publication: Publication) -> list[Pupil]:
    return list(
        Pupil.objects.filter(pk__in=publication.appearances.values("pupil_id")).order_by(
            "last_name", "first_name"
        )
    )


def reshares_of(*, publication: Publication) -> QuerySet[Publication]:
    return publication.reshares.select_related("recorded_by").order_by("published_on", "id")


def takedowns_of(*, publication: Publication) -> QuerySet[TakeDown]:
    return publication.takedowns.select_related("pupil", "closed_by").order_by("opened_at", "id")


def takedowns_open(*, school: School, after: UUID | None = None) -> QuerySet[TakeDown]:
    """Open take-downs, oldest first; after a take-down's code, the ones opened after it
    (keyset: the cursor is found in the same query, never by counting or numbering)."""
    qs = TakeDown.objects.filter(school=school, closed_at__isnull=True)
    if after is not None:
        # The cursor may have been marked done since: its place in the order stands.
        cursor = TakeDown.objects.filter(school=school, code=after)
        at = Subquery(cursor.values("opened_at")[:1])
        pk = Subquery(cursor.values("id")[:1])
        qs = qs.filter(Q(opened_at__gt=at) | Q(opened_at=at, id__gt=pk))
    return qs.select_related("publication__purpose", "pupil").order_by("opened_at", "id")


def takedowns_closed(*, school: School, before: UUID | None = None) -> QuerySet[TakeDown]:
    """Take-downs done, newest first; before a take-down's code, the ones closed before it."""
    qs = TakeDown.objects.filter(school=school, closed_at__isnull=False)
    if before is not None:
        cursor = TakeDown.objects.filter(school=school, closed_at__isnull=False, code=before)
        at = Subquery(cursor.values("closed_at")[:1])
        pk = Subquery(cursor.values("id")[:1])
        qs = qs.filter(Q(closed_at__lt=at) | Q(closed_at=at, id__lt=pk))
    return qs.select_related("publication__purpose", "pupil", "closed_by").order_by(
        "-closed_at", "-id"
    )


def takedown_counts(*, school: School) -> dict[str, int]:
    """Open and done, in one aggregate (the page's headline, whatever page of it is shown)."""
    return TakeDown.objects.filter(school=school).aggregate(
        open=Count("id", filter=Q(closed_at__isnull=True)),
        done=Count("id", filter=Q(closed_at__isnull=False)),
    )


def takedown_of(*, school: School, code: UUID | str) -> TakeDown | None:
    return TakeDown.objects.filter(school=school, code=code).select_related("publication").first()


def open_takedown_count(*, school: School) -> int:
    return TakeDown.objects.filter(school=school, closed_at__isnull=True).count()


def outstanding_for_parent(
    *, school: School, user: User, today: datetime.date | None = None
) -> int:
    """How many (child, consent purpose) pairs still wait for a parent's decision: the home
    card's count and the reminder's test. It reads the parents' own decisions only, never the
    marking, so a parent cannot learn from a count that their child is marked. Four queries."""
    today = today or timezone.localdate()
    children = list(children_of(user=user, school=school))
    purposes = [p for p in purposes_of(school=school) if p.needs_consent]
    if not children or not purposes:
        return 0
    year = renew_year(settings=settings_of(school=school), school=school, today=today)
    decided = parent_decided(pupils=children, purposes=purposes, year=year, school=school)
    return sum(1 for c in children for p in purposes if (c.pk, p.pk) not in decided)


def parent_decided(
    *, pupils: Iterable[Pupil], purposes: Iterable[Purpose], year: int | None, school: School
) -> set[tuple[int, int]]:
    """(pupil id, purpose id) pairs on which a parent has decided (this academic year, where
    the school renews each year; a refusal always stands)."""
    qs = Decision.objects.filter(
        school=school, pupil__in=list(pupils), purpose__in=list(purposes), by_pupil=False
    )
    if year is not None:
        start = datetime.date(year, school.academic_year_start_month, 1)
        qs = qs.filter(Q(decided_at__date__gte=start) | Q(choice="refused"))
    return set(qs.values_list("pupil_id", "purpose_id").distinct())
