"""Policies' section of the governors' report (esafety/reports/shapes.py): each policy's status
and review date, and AUP acceptance by audience as counts; never a name (the report suppresses
small counts and works out the percentages itself)."""

import datetime

from esafety.people.models import School
from esafety.reports.shapes import (
    AuditAnswer,
    CountTable,
    Listing,
    ReportSection,
    Row,
    SectionFigures,
)
from policies.compliance import figures

SOON = datetime.timedelta(days=30)


def _status(due: datetime.date, on: datetime.date) -> str:
    if due < on:
        return "Review overdue"
    if due <= on + SOON:
        return "Review due within 30 days"
    return "In date"


def _key(line, column: str) -> str:
    return f"aup:{line.policy}:{line.audience}:{column}"


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
                keys=(_key(a, "accepted"), _key(a, "not")),
            )
            for a in found.acceptance
        ),
        row_totals=True,
        column_totals=False,
        percent_of_row=0,
        as_it_stands=True,
        note="As it stands on the day the report is made, for each version in force.",
    )
    overdue = [p.title for p in found.policies if p.next_review_due < end]
    if not found.policies:
        reviewed = "No policy is published"
    elif overdue:
        reviewed = f"No: review overdue for {', '.join(overdue)}"
    else:
        reviewed = f"Yes: all {len(found.policies)} published policies in date"
    # The staff's AUP as the counts the table prints (suppressed the same way): never "12 of
    # 13", which would point at the one who has not signed.
    staff = [
        answer
        for a in found.acceptance
        if a.audience == "Staff"
        for answer in (
            AuditAnswer(f"Staff who have accepted {a.policy}", count_key=_key(a, "accepted")),
            AuditAnswer(f"Staff yet to accept {a.policy}", count_key=_key(a, "not")),
        )
    ] or [AuditAnswer("Staff AUP", answer="No staff AUP published")]
    return SectionFigures(
        tables=(acceptance,),
        listings=(status,),
        audit=(
            AuditAnswer("Policies reviewed within their review dates", answer=reviewed),
            *staff,
        ),
    )


SECTIONS = (
    ReportSection("policies.status", "Policies and acceptable use", policies_section, order=10),
)
