"""The DSL dashboard. Each of these is one query whatever the number of concerns."""

import datetime
from dataclasses import dataclass
from typing import cast

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)

from esafety.baked import Values, baked
from esafety.people.access import SchoolAccess
from incidents.categories import CHILD_PROTECTION
from incidents.models import (
    OPEN_STATUSES,
    Concern,
    Referral,
    Status,
)
from incidents.selectors.lists import _open_required_steps, with_steps_open
from incidents.selectors.visibility import (
    VisibilityShape,
    baked_access,
    concerns_for,
    visibility_shape,
)


def _unacknowledged(access: SchoolAccess) -> QuerySet[Concern]:
    return concerns_for(access).filter(status=Status.REPORTED)


# A row of the dashboard's short lists: what its line shows, no more.
GLANCE_FIELDS = ("id", "code", "category", "immediate_risk", "created_at")


@baked
def _unacknowledged_rows(shape: VisibilityShape, v: Values) -> QuerySet:
    return (
        _unacknowledged(baked_access(shape, v))
        .annotate(
            child_protection=Case(
                When(category__in=CHILD_PROTECTION, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-immediate_risk", "-child_protection", "created_at", "id")
        .values(*GLANCE_FIELDS, "reported_by__full_name", "reported_by__email")
    )


def unacknowledged(access: SchoolAccess, limit: int) -> list[dict]:
    """The first `limit` concerns nobody has acknowledged yet (GLANCE_FIELDS and who reported
    it): a child at immediate risk first, then child protection before the rest, then the
    oldest."""
    return _unacknowledged_rows.rows(
        visibility_shape(access), limit=limit, school=access.school.pk, user=access.user.pk
    )


@dataclass(frozen=True)
class UnacknowledgedCounts:
    waiting: int
    overdue: int
    immediate_risk: int


@dataclass(frozen=True)
class OpenCounts:
    by_category_status: dict[tuple[str, str], int]
    unacknowledged: UnacknowledgedCounts
    # Open concerns with a required step still to do (counted when asked for).
    with_steps_outstanding: int = 0


@baked
def _open_count_rows(shape: tuple[VisibilityShape, bool], v: Values) -> QuerySet:
    visible, steps = shape
    overdue = Q(immediate_risk=True, created_at__lte=v.risk_due) | Q(
        immediate_risk=False, created_at__lte=v.due
    )
    rows = (
        concerns_for(baked_access(visible, v))
        .filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("category", "status")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=overdue),
            immediate_risk=Count("id", filter=Q(immediate_risk=True)),
        )
    )
    if steps:
        rows = rows.annotate(with_steps=Count("id", filter=Q(Exists(_open_required_steps()))))
    return rows


def open_counts(access: SchoolAccess, now: datetime.datetime, *, steps: bool = False) -> OpenCounts:
    """Open concerns counted by (category, status), and of the unacknowledged ones how many are
    past their escalation time and how many have a child at immediate risk: one aggregate over
    the school's open concerns, so the dashboard says so even of those its short lists leave
    out. With `steps`, also how many have a required step still to do (an EXISTS per open
    concern, on the step table's concern index)."""
    school = access.school
    # The clocks the escalation task runs on: "overdue" here means "escalated".
    rows = _open_count_rows.rows(
        (visibility_shape(access), steps),
        school=school.pk,
        user=access.user.pk,
        risk_due=now - datetime.timedelta(minutes=school.immediate_risk_escalation_minutes),
        due=now - datetime.timedelta(minutes=school.escalation_minutes),
    )
    by_category_status: dict[tuple[str, str], int] = {}
    waiting = late = at_risk = with_steps = 0
    for r in rows:
        by_category_status[r["category"], r["status"]] = r["n"]
        with_steps += r.get("with_steps", 0)
        if r["status"] == Status.REPORTED:
            waiting += r["n"]
            late += r["overdue"]
            at_risk += r["immediate_risk"]
    return OpenCounts(by_category_status, UnacknowledgedCounts(waiting, late, at_risk), with_steps)


@baked
def _outstanding_rows(shape: VisibilityShape, v: Values) -> QuerySet:
    rows = with_steps_open(
        concerns_for(baked_access(shape, v))
        .filter(status__in=OPEN_STATUSES)
        .filter(Exists(_open_required_steps()))
        .order_by("created_at", "id")
    )
    return cast(QuerySet, rows.values(*GLANCE_FIELDS, "steps_open"))


def steps_outstanding(access: SchoolAccess, limit: int = 10) -> list[dict]:
    """Open concerns with required procedure steps still to do (GLANCE_FIELDS and
    `steps_open`), oldest first, at most `limit`, in one query; `open_counts` says how many
    there are in all."""
    return _outstanding_rows.rows(
        visibility_shape(access), limit=limit, school=access.school.pk, user=access.user.pk
    )


@baked
def _awaiting_rows(shape: VisibilityShape, v: Values) -> QuerySet:
    rows = (
        concerns_for(baked_access(shape, v))
        .filter(status=Status.AWAITING_AGENCY)
        .order_by("updated_at", "id")
    )
    return cast(QuerySet, rows.values(*GLANCE_FIELDS))


@baked
def _referral_rows(shape: None, v: Values) -> QuerySet:
    return (
        Referral.objects.filter(referred=True, concern_id__in=v.concerns)
        .order_by("referred_on", "id")
        .values("concern_id", "agency", "referred_on")
    )


def awaiting_agency(access: SchoolAccess, limit: int) -> list[tuple[dict, list[dict]]]:
    """The first `limit` concerns waiting on an outside agency (GLANCE_FIELDS), longest
    waiting first, each with the referrals made (one more query). The dashboard's open counts
    say how many there are."""
    concerns = _awaiting_rows.rows(
        visibility_shape(access), limit=limit, school=access.school.pk, user=access.user.pk
    )
    made: dict[int, list[dict]] = {c["id"]: [] for c in concerns}
    for referral in _referral_rows.rows(None, concerns=tuple(made)):
        made[referral["concern_id"]].append(referral)
    return [(c, made[c["id"]]) for c in concerns]


def unacknowledged_count(access: SchoolAccess) -> int:
    return _unacknowledged(access).count()
