"""Devices' section of the governors' report (esafety/reports/shapes.py): hand-in completeness,
breaches, searches, confiscations and releases in the period; evidence devices with the police;
equipment and exceptions as they stand. Counts only: the report suppresses the small ones (an
evidence device is a handful at most, so a count of one never reaches a reader)."""

import datetime
from typing import cast

from devices.selectors.figures import figures
from esafety.people.models import School
from esafety.reports.shapes import CountTable, ReportSection, Row, SectionFigures


def devices_section(*, school: School, start: datetime.date, end: datetime.date):
    found = figures(school=school, start=start, end=end)
    days = cast(list[dict[str, int]], found["hand_in_completeness"])
    expected = sum(d["expected"] for d in days)
    handed_in = min(expected, sum(d["handed_in"] for d in days))
    hand_ins = CountTable(
        key="handin",
        title="Phones handed in at the desk, over the school days of the period",
        columns=("Handed in", "Not handed in"),
        rows=(
            Row(
                "Phones expected (pupils on the exceptions register)",
                (handed_in, expected - handed_in),
                keys=("handin:in", "handin:missing"),
            ),
        ),
        row_totals=True,
        column_totals=False,
        percent_of_row=0,
    )
    period = CountTable(
        key="devices",
        title="Phone-free rule: what happened in the period",
        columns=("Count",),
        rows=(
            Row("Phones found without an exception (breaches)", (found["breaches"],)),
            Row("Devices confiscated", (found["confiscations"],)),
            Row("Searches", (found["searches"],)),
            Row("Devices released to parents or carers", (found["releases"],)),
            Row("Evidence devices handed to the police", (found["evidence_to_police"],)),
        ),
        column_totals=False,
    )
    standing = CountTable(
        key="devices_now",
        title="As it stands at the end of the period",
        columns=("Count",),
        rows=(
            Row("Devices held as evidence", (found["evidence_held"],)),
            Row("School equipment off site", (found["equipment_off_site"],)),
            Row("School equipment not encrypted", (found["equipment_unencrypted"],)),
            Row("Phone exceptions due for review", (found["exceptions_due_for_review"],)),
        ),
        column_totals=False,
        as_it_stands=True,
    )
    return SectionFigures(tables=(hand_ins, period, standing))


SECTIONS = (ReportSection("devices.phones", "Devices and phones", devices_section, order=30),)
