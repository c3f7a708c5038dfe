"""Filtering's section of the governors' report (esafety/reports/shapes.py): whether each role
the standards ask for is named (the role, never the person), checks by device type, decisions
by kind, weekly monitoring reports acknowledged out of due, and the annual review's state. The
report adds the totals and suppresses small counts itself."""

import datetime

from django.db.models import Count, Q

from esafety.people.models import School
from esafety.reports.shapes import (
    AuditAnswer,
    CountTable,
    Listing,
    ReportSection,
    Row,
    SectionFigures,
)
from filtering.models import (
    Check,
    Decision,
    DecisionAction,
    DeviceType,
    Outcome,
    RoleKind,
)
from filtering.selectors import status
from filtering.services.common import current_roles

OUTCOMES = (Outcome.APPROVED, Outcome.REFUSED)


def _date(day: datetime.date | None) -> str:
    return f"{day:%-d %b %Y}" if day else "—"


def filtering_section(*, school: School, start: datetime.date, end: datetime.date):
    current = current_roles(school)
    roles = Listing(
        key="roles",
        title="Roles the standards ask for",
        columns=("Role", "Named"),
        rows=tuple(
            (label, "Yes" if kind in current else "Not named") for kind, label in RoleKind.choices
        ),
    )
    by_device = {
        row["device_type"]: row
        for row in Check.objects.filter(school=school, tested_on__gte=start, tested_on__lte=end)
        .values("device_type")
        .annotate(
            passed=Count("id", filter=Q(failed=False)), failed=Count("id", filter=Q(failed=True))
        )
        .order_by()
    }
    checks = CountTable(
        key="checks",
        title="Filtering checks by device type",
        columns=("Passed", "Failed"),
        rows=tuple(
            Row(label, (by_device[value]["passed"], by_device[value]["failed"]))
            for value, label in DeviceType.choices
            if value in by_device
        ),
        row_totals=True,
        note="Each check tests one device type for one user group; a failure opens a task "
        "for the senior leader until it is resolved.",
    )
    counted = {
        (row["action"], row["outcome"]): row["n"]
        for row in Decision.objects.filter(
            school=school, decided_on__gte=start, decided_on__lte=end
        )
        .values("action", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    }
    decisions = CountTable(
        key="decisions",
        title="Requests to block or allow",
        columns=("Approved", "Refused"),
        rows=tuple(
            Row(
                f"To {label.lower()}",
                (
                    counted.get((value, Outcome.APPROVED), 0),
                    counted.get((value, Outcome.REFUSED), 0),
                ),
            )
            for value, label in DecisionAction.choices
        ),
        row_totals=True,
    )
    due, acknowledged = status.reports_in_period(school=school, start=start, end=end)
    reports = CountTable(
        key="reports",
        title="Weekly monitoring reports",
        columns=("Acknowledged", "Not acknowledged"),
        rows=(Row("Weeks due in the period", (acknowledged, due - acknowledged)),),
        row_totals=True,
        column_totals=False,
    )
    review = status.review_status(school=school, today=end)
    signed = (
        review.last_signed.signed_at.date()
        if review.last_signed and review.last_signed.signed_at
        else None
    )
    review_listing = Listing(
        key="review",
        title="Annual review (at the end of the period)",
        columns=("Last signed off", "Next due", "Status"),
        rows=((_date(signed), _date(review.next_due), review.label),),
    )
    reviewed = (
        f"Yes: signed off by the governor responsible on {_date(signed)}"
        if review.state in ("ok", "due_soon")
        else f"No: {review.label.lower()}"
    )
    named = all(kind in current for kind in (RoleKind.SENIOR_LEADER, RoleKind.GOVERNOR))
    return SectionFigures(
        tables=(checks, decisions, reports),
        listings=(roles, review_listing),
        audit=(
            AuditAnswer(
                "A senior leader and a governor are named as responsible for filtering and "
                "monitoring",
                answer="Yes" if named else "No",
            ),
            AuditAnswer("Filtering and monitoring reviewed in the last year", answer=reviewed),
        ),
    )


SECTIONS = (
    ReportSection("filtering.evidence", "Filtering and monitoring", filtering_section, order=60),
)
