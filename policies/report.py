"""Policies' section of the governors' report (esafety/reports/shapes.py): each policy's status
and review date, and AUP acceptance by audience as counts; never a name (the report suppresses
small counts and works out the percentages itself)."""

import datetime

from esafety.people.models import School
from esafety.reports.shapes import CountTable, Listing, ReportSection, Row, SectionFigures
from policies.compliance import figures

SOON = datetime.timedelta(days=30)


def _status(due: datetime.date, on: datetime.date) -> str:
    if due < on:
        return "Review overdue"
    if due <= on + SOON:
        return "Review due within 30 days"
    return "In date"


def policies_section(*, school: School, start: datetime.date, end: datetime.date):
    found = figures(school=school, today=end)
    status = Listing(
        key="policies",
        title="Policy status and review dates (at the end of the period)",
        columns=("Policy", "Kind", "Version", "Published", "Next review due", "Status"),
        rows=tuple(
            (
                p.title,
                p.kind,
                p.version,
                f"{p.published_on:%-d %b %Y}",
                f"{p.next_review_due:%-d %b %Y}",
                _status(p.next_review_due, end),
            )
            for p in found.policies
        ),
        empty="No policy is published.",
    )
    acceptance = CountTable(
        key="aup",
        title="AUP acceptance by audience",
        columns=("Accepted", "Not yet"),
        rows=tuple(
            Row(
                f"{a.policy} (version {a.version}): {a.audience}",
                (a.accepted, a.total - a.accepted),
                keys=(f"aup:{a.policy}:{a.audience}:accepted", f"aup:{a.policy}:{a.audience}:not"),
            )
            for a in found.acceptance
        ),
        row_totals=True,
        column_totals=False,
        percent_of_row=0,
        as_it_stands=True,
        note="As it stands on the day the report is made, for each version in force.",
    )
    return SectionFigures(tables=(acceptance,), listings=(status,))


SECTIONS = (
    ReportSection("policies.status", "Policies and acceptable use", policies_section, order=10),
)
