"""Training's section of the governors' report (esafety/reports/shapes.py): how many hold each
required course in date, staff and governors with everything required, the DSL's and the
deputies' formal training by role, and the engagement events held. Counts and roles, never a
name: the report suppresses small counts and works out the percentages itself."""

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
from training.compliance import figures
from training.models import EventKind
from training.selectors.matrix import build_matrix
from training.validity import State

EVENT_ROWS = (
    (EventKind.PUPIL_LESSON, "Pupil online-safety lessons"),
    (EventKind.PARENT_EVENING, "Parents' e-safety evenings"),
    (EventKind.STAFF_BRIEFING, "Staff briefings"),
)


def training_section(*, school: School, start: datetime.date, end: datetime.date):
    matrix = build_matrix(school=school, today=end)
    courses = CountTable(
        key="courses",
        title="Required training by course",
        columns=("In date", "Lapsing within 30 days", "Lapsed", "Not held"),
        rows=tuple(
            Row(
                column.title,
                tuple(
                    counts[s] for s in (State.VALID, State.EXPIRING, State.EXPIRED, State.MISSING)
                ),
                keys=tuple(f"course:{column.key}:{s}" for s in State.values),
            )
            for column, counts in zip(matrix.columns, matrix.totals, strict=True)
            if sum(counts.values())
        ),
        row_totals=True,
        column_totals=False,
        percent_of_row=0,
        as_it_stands=True,
        note="People each course is required of, as it stood at the end of the period; read "
        "and sign documents count those who signed the edition in force.",
    )
    found = figures(school=school, start=start, end=end, matrix=matrix)
    groups = CountTable(
        key="groups",
        title="Everything required in date",
        columns=("Yes", "No"),
        rows=tuple(
            Row(
                g.group,
                (g.compliant, g.people - g.compliant),
                keys=(f"group:{g.group}:yes", f"group:{g.group}:no"),
            )
            for g in found.groups
        ),
        row_totals=True,
        column_totals=False,
        percent_of_row=0,
        as_it_stands=True,
    )
    dsl = Listing(
        key="dsl",
        title="Formal training of the DSL and deputies (every two years)",
        columns=("Role", "Formal training", "Lapses"),
        rows=tuple(
            (
                d.role,
                f"{d.formal_training_on:%-d %b %Y}" if d.formal_training_on else "Not recorded",
                f"{d.lapses_on:%-d %b %Y}" if d.lapses_on else "",
            )
            for d in found.dsl
        ),
        empty="No DSL or deputy is named.",
    )
    events = CountTable(
        key="events",
        title="Engagement events held",
        columns=("Held",),
        rows=(
            *(Row(label, (found.events.get(kind, 0),)) for kind, label in EVENT_ROWS),
            Row("Training held in school", (found.sessions,)),
        ),
        column_totals=False,
    )
    external = CountTable(
        key="external",
        title="Pupil lessons from an external presenter",
        columns=("Held",),
        rows=(Row("From an external presenter", (found.external_lessons,)),),
        column_totals=False,
    )
    lapsed = [d for d in found.dsl if not d.lapses_on or d.lapses_on <= end]
    dsl_answer = (
        "No DSL or deputy is named"
        if not found.dsl
        else "Yes"
        if not lapsed
        else f"No: {len(lapsed)} of {len(found.dsl)} not in date"
    )
    staff = next((g for g in found.groups if g.group == "Staff"), None)
    return SectionFigures(
        tables=(courses, groups, events, external),
        listings=(dsl,),
        audit=(
            AuditAnswer(
                "The DSL and deputies' formal training is within two years", answer=dsl_answer
            ),
            *(
                (
                    AuditAnswer(
                        "Staff with all required training in date", count_key="group:Staff:yes"
                    ),
                    AuditAnswer(
                        "Staff with some training lapsed or missing", count_key="group:Staff:no"
                    ),
                )
                if staff
                else ()
            ),
        ),
    )


SECTIONS = (
    ReportSection("training.compliance", "Training and engagement", training_section, order=40),
)
