"""Every read of concerns goes through here, scoped to the school and to what the role may see."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from esafety.people.access import SchoolAccess
from esafety.people.models import Membership, Pupil, Role
from incidents.categories import NON_CHILD_PROTECTION, Category
from incidents.models import (
    OPEN_STATUSES,
    Concern,
    ConcernPupil,
    ProcedureStep,
    StepState,
    TimelineEntry,
)

NOTHING = Q(pk__in=[])


def _about_head() -> Exists:
    return Exists(
        Membership.objects.filter(
            school=OuterRef("school"),
            role=Role.HEAD,
            is_active=True,
            user__concerns_involved_in__concern=OuterRef("pk"),
        )
    )


def visibility(access: SchoolAccess) -> Q:
    """Which concerns of the school this member may read in full.

    DSL and head: all. Deputies: all but allegations about staff. Online safety lead: the
    categories that are not child protection. The chair of governors: allegations about the head.
    Staff, office, governors and parents: none (a reporter sees the status of their own concerns
    through `concerns_reported_by`, not this).
    """
    if access.has(Role.DSL, Role.HEAD):
        return Q()  # every concern (the caller still removes those about the member)
    parts: list[Q] = []
    if access.has(Role.DEPUTY_DSL):
        parts.append(~Q(category=Category.STAFF_CONDUCT))
    if access.has(Role.ONLINE_SAFETY_LEAD):
        parts.append(Q(category__in=NON_CHILD_PROTECTION))
    if access.is_chair:
        parts.append(Q(category=Category.STAFF_CONDUCT) & Q(about_head=True))
    q = NOTHING
    for part in parts:
        q = part if q is NOTHING else q | part
    return q


def can_work_concerns(access: SchoolAccess) -> bool:
    return access.has(Role.DSL, Role.DEPUTY_DSL, Role.HEAD, Role.ONLINE_SAFETY_LEAD) or (
        access.is_chair
    )


def concerns_for(access: SchoolAccess) -> QuerySet[Concern]:
    """Concerns the member may read, never one they are themselves involved in."""
    qs = Concern.objects.filter(school=access.school)
    if access.is_chair:
        qs = qs.annotate(about_head=_about_head())
    return qs.filter(visibility(access)).exclude(staff_links__user=access.user)


def concerns_reported_by(access: SchoolAccess) -> QuerySet[Concern]:
    return Concern.objects.filter(school=access.school, reported_by=access.user).order_by(
        "-created_at"
    )


def concern_detail(access: SchoolAccess, code) -> Concern | None:
    return (
        concerns_for(access)
        .select_related("reported_by", "acknowledged_by", "closed_by", "school")
        .prefetch_related(
            Prefetch(
                "pupil_links",
                queryset=ConcernPupil.objects.select_related("pupil", "pupil__school_class"),
            ),
            "staff_links__user",
            Prefetch("steps", queryset=ProcedureStep.objects.select_related("done_by")),
            "referrals__recorded_by",
            "attachments",
            "nudes_answers",
        )
        .filter(code=code)
        .first()
    )


def timeline(concern: Concern) -> list[TimelineEntry]:
    return list(
        TimelineEntry.objects.filter(concern=concern)
        .select_related("author", "corrects")
        .order_by("at", "id")
    )


@dataclass(frozen=True)
class ConcernFilters:
    category: str = ""
    status: str = ""
    year_group: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    open_only: bool = False


def concern_list(access: SchoolAccess, filters: ConcernFilters) -> QuerySet[Concern]:
    qs = concerns_for(access)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if filters.year_group:
        qs = qs.filter(
            Exists(
                ConcernPupil.objects.filter(
                    concern=OuterRef("pk"), pupil__year_group=filters.year_group
                )
            )
        )
    if filters.date_from:
        qs = qs.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(created_at__date__lte=filters.date_to)
    return (
        qs.select_related("reported_by")
        .annotate(
            steps_open=Count(
                "steps",
                filter=Q(steps__state=StepState.OPEN, steps__required=True),
                distinct=True,
            ),
            pupil_count=Count("pupil_links", distinct=True),
        )
        .order_by("-immediate_risk", "-created_at", "-id")
    )


def pupils_matching(*, school, query: str, limit: int = 10) -> list[Pupil]:
    """Pupils on roll whose names start with what was typed, for the logging form."""
    qs = Pupil.objects.filter(school=school, left_date__isnull=True).select_related("school_class")
    words = query.split()
    if not words:
        return []
    for word in words:
        qs = qs.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
    return list(qs.order_by("last_name", "first_name")[:limit])


def chronology(access: SchoolAccess, pupil: Pupil) -> list[TimelineEntry]:
    """Every entry about one pupil across all the concerns the member may see, in time order."""
    visible = concerns_for(access).filter(pupil_links__pupil=pupil).values("pk")
    return list(
        TimelineEntry.objects.filter(concern__in=visible)
        .select_related("author", "concern", "corrects")
        .order_by("at", "id")
    )
