"""Reading the school's filtering evidence: every read scoped to the school. Lists are bounded
(the newest rows, with a count of the rest), so a page's queries do not grow with the years."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from django.db.models import QuerySet

from esafety.baked import Values, baked, fields_of
from esafety.people.models import Membership, School, User
from filtering.models import (
    AnnualReview,
    Check,
    CheckTask,
    Decision,
    OnCallShift,
    ProvisionVersion,
    ReportAcknowledgement,
    UrgentAlert,
)

LIST_LIMIT = 50


@dataclass(frozen=True)
class Bounded:
    rows: list
    total: int
    limit: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))


def bounded(qs: QuerySet, limit: int = LIST_LIMIT) -> Bounded:
    # Always the rows and a count: two queries, whether or not there are more than shown.
    return Bounded(list(qs[:limit]), qs.count(), limit)


def current_provision(*, school: School) -> ProvisionVersion | None:
    return (
        ProvisionVersion.objects.filter(school=school)
        .select_related("recorded_by")
        .order_by("-number")
        .first()
    )


def provision_history(*, school: School, limit: int = 20) -> Bounded:
    return bounded(
        ProvisionVersion.objects.filter(school=school)
        .select_related("recorded_by")
        .order_by("-number"),
        limit,
    )


def decisions(*, school: School) -> QuerySet[Decision]:
    """Newest first; the page shows them LIST_LIMIT at a time."""
    return (
        Decision.objects.filter(school=school)
        .select_related("decided_by", "applied")
        .order_by("-decided_on", "-id")
    )


def decision_for(*, school: School, code: UUID) -> Decision | None:
    return (
        Decision.objects.filter(school=school, code=code)
        .select_related("decided_by", "applied", "applied__recorded_by", "school")
        .first()
    )


def decisions_for_concern(*, school: School, concern_code: UUID) -> list[Decision]:
    return _decisions_of_concern.objects(
        Decision, None, related=("applied",), limit=20, school=school.pk, concern=concern_code
    )


@baked
def _decisions_of_concern(shape: None, v: Values) -> QuerySet:
    decisions = Decision.objects.filter(school_id=v.school, concern_code=v.concern)
    ordered = decisions.order_by("-decided_on", "-id")
    return cast(QuerySet, ordered.values(*fields_of(Decision, ("applied",))))


# What a concern's panel lists of the monitoring it came from, newest first.
MONITORING: dict[str, tuple[Any, str]] = {
    "acks": (ReportAcknowledgement, "-week_start"),
    "alerts": (UrgentAlert, "-received_at"),
}


@baked
def _monitoring_of_concern(shape: str, v: Values) -> QuerySet:
    model, newest = MONITORING[shape]
    rows = model._default_manager.filter(school_id=v.school, concern_code=v.concern)
    rows = rows.order_by(newest)
    return cast(QuerySet, rows.values(*fields_of(model)))


def concern_is_named(*, school: School, concern_code: UUID) -> bool:
    """Whether any decision, weekly report or urgent alert names the concern: one query (a
    UNION of the three lookups), so the page of a concern that filtering never touched, most
    of them, asks once rather than three times."""
    return bool(_naming.rows(None, limit=1, school=school.pk, concern=concern_code))


@baked
def _naming(shape: None, v: Values) -> QuerySet:
    named = [
        model.objects.filter(school_id=v.school, concern_code=v.concern).order_by().values("id")
        for model in (Decision, ReportAcknowledgement, UrgentAlert)
    ]
    return named[0].union(*named[1:], all=True)


def monitoring_for_concern(
    *, school: School, concern_code: UUID
) -> tuple[list[ReportAcknowledgement], list[UrgentAlert]]:
    """The weekly reports and urgent alerts a concern was logged from (two queries)."""
    values: dict[str, Any] = {"school": school.pk, "concern": concern_code}
    acks = _monitoring_of_concern.objects(ReportAcknowledgement, "acks", limit=10, **values)
    alerts = _monitoring_of_concern.objects(UrgentAlert, "alerts", limit=10, **values)
    return acks, alerts


def checks(*, school: School) -> QuerySet[Check]:
    return (
        Check.objects.filter(school=school)
        .select_related("tested_by", "task")
        .order_by("-tested_on", "-id")
    )


def check_for(*, school: School, code: UUID) -> Check | None:
    return (
        Check.objects.filter(school=school, code=code)
        .select_related("tested_by", "task", "task__assigned_to", "task__resolved_by", "school")
        .prefetch_related("results")
        .first()
    )


def task_for(*, school: School, code: UUID) -> CheckTask | None:
    return (
        CheckTask.objects.filter(school=school, code=code)
        .select_related("check_record", "school", "assigned_to")
        .first()
    )


def open_tasks(*, school: School, limit: int = 20) -> Bounded:
    return bounded(
        CheckTask.objects.filter(school=school, resolved_at__isnull=True)
        .select_related("check_record", "assigned_to")
        .order_by("opened_at"),
        limit,
    )


def shifts(*, school: School, since: datetime.date, limit: int = 20) -> Bounded:
    return bounded(
        OnCallShift.objects.filter(school=school, ends_on__gte=since)
        .select_related("user")
        .order_by("starts_on", "id"),
        limit,
    )


def alerts(*, school: School, limit: int = LIST_LIMIT) -> Bounded:
    return bounded(
        UrgentAlert.objects.filter(school=school)
        .select_related("received_by")
        .order_by("-received_at"),
        limit,
    )


def reviews(*, school: School, limit: int = 20) -> Bounded:
    return bounded(
        AnnualReview.objects.filter(school=school)
        .select_related("completed_by", "governor")
        .order_by("-completed_at"),
        limit,
    )


def review_for(*, school: School, code: UUID) -> AnnualReview | None:
    return (
        AnnualReview.objects.filter(school=school, code=code)
        .select_related("completed_by", "governor", "school")
        .first()
    )


def members_holding(*, school: School, roles: Iterable[str]) -> QuerySet[User]:
    """Active members of the school holding one of `roles`, for a form's choices."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(school=school, role__in=roles, is_active=True).values(
            "user_id"
        ),
        is_active=True,
    ).order_by("full_name", "email")
