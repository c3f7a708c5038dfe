"""The list of every concern, filtered, a page at a time, and what each row shows."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)

from esafety.baked import BakedRows, Values, baked
from esafety.people.access import SchoolAccess
from incidents.models import (
    OPEN_STATUSES,
    Concern,
    ConcernPupil,
    ProcedureStep,
    StepState,
)
from incidents.selectors.visibility import (
    VisibilityShape,
    baked_access,
    concerns_for,
    visibility_shape,
)


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


def concern_list(access: SchoolAccess, filters: ConcernFilters) -> BakedRows:
    """The filtered concerns, newest first after those with a child at immediate risk: rows of
    ROW_FIELDS with `steps_open`, sliced a page at a time (`rows_page`).

    No grouping here: counting a page's steps and pupils by grouping every concern of the school
    costs with the school's history. Each row's steps are a correlated count in the same query
    (`with_steps_open`).
    """
    asked = {f: getattr(filters, f) for f in _FILTERS if getattr(filters, f)}
    return _list_rows.sliced(
        (visibility_shape(access), tuple(asked), filters.open_only),
        school=access.school.pk,
        user=access.user.pk,
        **asked,
    )


_FILTERS = ("category", "status", "year_group", "date_from", "date_to")


@baked
def _list_rows(shape: tuple[VisibilityShape, tuple[str, ...], bool], v: Values) -> QuerySet:
    visible, asked, open_only = shape
    qs = concerns_for(baked_access(visible, v))
    if "category" in asked:
        qs = qs.filter(category=v.category)
    if "status" in asked:
        qs = qs.filter(status=v.status)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if "year_group" in asked:
        qs = qs.filter(
            Exists(
                ConcernPupil.objects.filter(concern=OuterRef("pk"), pupil__year_group=v.year_group)
            )
        )
    if "date_from" in asked:
        qs = qs.filter(created_at__date__gte=v.date_from)
    if "date_to" in asked:
        qs = qs.filter(created_at__date__lte=v.date_to)
    ordered = qs.order_by("-immediate_risk", "-created_at", "-id")
    return cast(QuerySet, with_steps_open(ordered).values(*ROW_FIELDS, "steps_open"))


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


@baked
def _pupil_names(shape: None, v: Values) -> QuerySet:
    return (
        ConcernPupil.objects.filter(concern_id__in=v.concerns)
        .order_by("concern_id", "id")
        .values("concern_id", "pupil__first_name", "pupil__last_name", "pupil__year_group")
    )


def pupils_named(concern_ids: Sequence[int]) -> dict[int, list[str]]:
    """For a page of a list: each concern's pupils as "First Last (Year 5)", in the order they
    were named, in one query of three columns (no pupil rows built for a line of text)."""
    named: dict[int, list[str]] = {pk: [] for pk in concern_ids}
    for link in _pupil_names.rows(None, concerns=tuple(named)) if named else ():
        named[link["concern_id"]].append(
            f"{link['pupil__first_name']} {link['pupil__last_name']} ({link['pupil__year_group']})"
        )
    return named
