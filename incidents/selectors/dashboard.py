"""The DSL dashboard. Each of these is one query whatever the number of concerns."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from esafety.people.access import SchoolAccess
from incidents.categories import CHILD_PROTECTION
from incidents.models import (
    OPEN_STATUSES,
    Concern,
    Referral,
    Status,
)
from incidents.selectors.lists import ROW_FIELDS, _open_required_steps, with_steps_open
from incidents.selectors.visibility import concerns_for


def _unacknowledged(access: SchoolAccess) -> QuerySet[Concern]:
    return concerns_for(access).filter(status=Status.REPORTED)


def unacknowledged(access: SchoolAccess, limit: int) -> list[Concern]:
    """The first `limit` concerns nobody has acknowledged yet: a child at immediate risk first,
    then child protection before the rest, then the oldest."""
    return list(
        _unacknowledged(access)
        .select_related("reported_by")
        .only(*ROW_FIELDS, "reported_by__full_name", "reported_by__email")
        .annotate(
            child_protection=Case(
                When(category__in=CHILD_PROTECTION, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-immediate_risk", "-child_protection", "created_at", "id")[:limit]
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


def open_counts(access: SchoolAccess, now: datetime.datetime, *, steps: bool = False) -> OpenCounts:
    """Open concerns counted by (category, status), and of the unacknowledged ones how many are
    past their escalation time and how many have a child at immediate risk: one aggregate over
    the school's open concerns, so the dashboard says so even of those its short lists leave
    out. With `steps`, also how many have a required step still to do (an EXISTS per open
    concern, on the step table's concern index)."""
    school = access.school
    # The clocks the escalation task runs on: "overdue" here means "escalated".
    overdue = Q(
        immediate_risk=True,
        created_at__lte=now - datetime.timedelta(minutes=school.immediate_risk_escalation_minutes),
    ) | Q(
        immediate_risk=False,
        created_at__lte=now - datetime.timedelta(minutes=school.escalation_minutes),
    )
    rows = (
        concerns_for(access)
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


def steps_outstanding(access: SchoolAccess, limit: int = 10) -> list[Concern]:
    """Open concerns with required procedure steps still to do (oldest first, at most `limit`,
    each with `steps_open`), in one query; `open_counts` says how many there are in all."""
    qs = (
        concerns_for(access).filter(status__in=OPEN_STATUSES).filter(Exists(_open_required_steps()))
    )
    return list(with_steps_open(qs.only(*ROW_FIELDS).order_by("created_at", "id"))[:limit])


def awaiting_agency(access: SchoolAccess, limit: int) -> list[Concern]:
    """The first `limit` concerns waiting on an outside agency, longest waiting first, with the
    referrals made (one more query). The dashboard's open counts say how many there are."""
    return list(
        concerns_for(access)
        .filter(status=Status.AWAITING_AGENCY)
        .only(*ROW_FIELDS, "updated_at")
        .prefetch_related(
            Prefetch(
                "referrals",
                queryset=Referral.objects.filter(referred=True).order_by("referred_on", "id"),
            )
        )
        .order_by("updated_at", "id")[:limit]
    )


def unacknowledged_count(access: SchoolAccess) -> int:
    return _unacknowledged(access).count()
