"""The list of every concern, filtered, a page at a time, and what each row shows."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)

from esafety.people.access import SchoolAccess
from esafety.people.models import Pupil, School
from incidents.models import (
    OPEN_STATUSES,
    Concern,
    ConcernPupil,
    ProcedureStep,
    StepState,
)
from incidents.selectors.visibility import concerns_for


@dataclass(frozen=True)
class ConcernFilters:
    category: str = ""
    status: str = ""
    year_group: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    open_only: bool = False


# What a row of the dashboard's lists shows: loading the narrative and the outcome of every row
# (long text) for a list that shows neither was most of the rows' cost.
ROW_FIELDS = ("id", "code", "school_id", "category", "status", "immediate_risk", "created_at")


def concern_list(access: SchoolAccess, filters: ConcernFilters) -> QuerySet[Concern]:
    """The filtered concerns, newest first after those with a child at immediate risk.

    No grouping here: counting a page's steps and pupils by grouping every concern of the school
    costs with the school's history. The rows shown get their counts from `with_steps_open`.
    """
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
    return qs.only(*ROW_FIELDS).order_by("-immediate_risk", "-created_at", "-id")


def _open_required_steps() -> QuerySet[ProcedureStep]:
    return ProcedureStep.objects.filter(concern=OuterRef("pk"), state=StepState.OPEN, required=True)


def _count_of(qs: QuerySet) -> Subquery:
    # A correlated COUNT per row shown, not a GROUP BY over every concern of the school. COUNT
    # as a plain function keeps Django from grouping the subquery, so a row with none is 0.
    return Subquery(
        qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def with_steps_open(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """Each row with `steps_open` (required steps still to do): a correlated count over that
    row's steps alone (the step table's concern index), which PostgreSQL works out for the rows
    a LIMIT keeps, not for every concern of the school, and in the same query."""
    return concerns.annotate(steps_open=_count_of(_open_required_steps()))


def pupils_named(concerns: Sequence[Concern]) -> dict[int, list[str]]:
    """For a page of a list: each concern's pupils as "First Last (Year 5)", in the order they
    were named, in one query of three columns (no pupil rows built for a line of text)."""
    named: dict[int, list[str]] = {c.pk: [] for c in concerns}
    if not named:
        return named
    links = (
        ConcernPupil.objects.filter(concern_id__in=list(named))
        .order_by("concern_id", "id")
        .values_list("concern_id", "pupil__first_name", "pupil__last_name", "pupil__year_group")
    )
    for concern_id, first, last, year in links:
        named[concern_id].append(f"{first} {last} ({year})")
    return named


def year_groups(school: School) -> list[str]:
    """The year groups of the school's pupils on roll, in school order (Year 2 before Year 10)."""
    values = (
        Pupil.objects.filter(school=school, left_date__isnull=True)
        .order_by()
        .values_list("year_group", flat=True)
        .distinct()
    )

    def key(name: str) -> tuple:
        digits = "".join(ch for ch in name if ch.isdigit())
        return (0, int(digits), name) if digits else (1, 0, name)

    return sorted((v for v in values if v), key=key)
