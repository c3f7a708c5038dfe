"""Filtering's section of the governors' figures: counts and states, never a name. Whether a
role is named is a yes or no: the governors' report names roles, never the people holding
them (esafety/reports; filtering/report.py is its section)."""

import datetime
from dataclasses import dataclass, field

from esafety.people.models import School
from filtering.models import RoleKind
from filtering.selectors import status
from filtering.services.common import current_roles


@dataclass(frozen=True)
class FilteringFigures:
    start: datetime.date
    end: datetime.date
    roles_named: dict[str, bool] = field(default_factory=dict)  # role label -> named
    checks_done: int = 0
    checks_failed: int = 0
    failed_open_at_end: int = 0
    decisions: int = 0
    decisions_block: int = 0
    decisions_allow: int = 0
    reports_due: int = 0
    reports_acknowledged: int = 0
    review_state: str = ""
    review_next_due: datetime.date | None = None
    last_review_signed: datetime.date | None = None


def figures(*, school: School, start: datetime.date, end: datetime.date) -> FilteringFigures:
    current = current_roles(school)
    counts = status.period_counts(school=school, start=start, end=end)
    due, acknowledged = status.reports_in_period(school=school, start=start, end=end)
    review = status.review_status(school=school, today=end)
    return FilteringFigures(
        start=start,
        end=end,
        roles_named={label: kind in current for kind, label in RoleKind.choices},
        failed_open_at_end=status.open_task_count(school=school),
        reports_due=due,
        reports_acknowledged=acknowledged,
        review_state=review.label,
        review_next_due=review.next_due,
        last_review_signed=review.last_signed.signed_at.date()
        if review.last_signed and review.last_signed.signed_at
        else None,
        **counts,
    )
