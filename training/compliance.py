"""Training's section of the governors' figures: shares and dates by role, never names."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from esafety.people.models import Role, School
from training.models import EngagementEvent, Kind, Session
from training.selectors.matrix import Matrix, build_matrix


@dataclass(frozen=True)
class CourseLine:
    title: str
    required: int
    compliant: int

    @property
    def percent(self) -> int:
        return round(self.compliant * 100 / self.required) if self.required else 0


@dataclass(frozen=True)
class GroupLine:
    group: str  # "Staff" or "Governors"
    people: int
    compliant: int  # everything required of them valid

    @property
    def percent(self) -> int:
        return round(self.compliant * 100 / self.people) if self.people else 0


@dataclass(frozen=True)
class DslLine:
    role: str  # "Designated safeguarding lead" or "Deputy DSL": a role, not a name
    formal_training_on: datetime.date | None
    lapses_on: datetime.date | None


@dataclass(frozen=True)
class TrainingFigures:
    courses: list[CourseLine]
    groups: list[GroupLine]
    dsl: list[DslLine]
    events: dict[str, int]
    external_lessons: int
    sessions: int


def figures(
    *, school: School, start: datetime.date, end: datetime.date, matrix: Matrix | None = None
) -> TrainingFigures:
    """As it stood at `end`; the events and sessions held between `start` and `end`."""
    matrix = matrix or build_matrix(school=school, today=end)
    courses = []
    for i, column in enumerate(matrix.columns):
        counts = matrix.totals[i]
        courses.append(
            CourseLine(
                column.title,
                required=sum(counts.values()),
                compliant=counts["valid"] + counts["expiring"],
            )
        )
    groups = []
    for label, test in (("Staff", "is_staff"), ("Governors", "is_governor")):
        rows = [r for r in matrix.rows if getattr(r.person, test)]
        groups.append(GroupLine(label, len(rows), sum(1 for r in rows if r.compliant)))
    formal = next(
        (i for i, c in enumerate(matrix.columns) if c.course_kind == Kind.DSL_FORMAL), None
    )
    labels = dict(Role.choices)
    dsl = []
    for row in matrix.rows:
        for role in (Role.DSL, Role.DEPUTY_DSL):
            if role in row.person.roles:
                cell = row.cells[formal] if formal is not None else None
                dsl.append(
                    DslLine(
                        labels[role],
                        cell.completed_on if cell else None,
                        cell.expires_on if cell else None,
                    )
                )
    # Sorted by role and date, so the order says nothing about who is who.
    dsl.sort(key=lambda d: (d.role, d.formal_training_on or datetime.date.min))
    held = EngagementEvent.objects.filter(school=school, held_on__gte=start, held_on__lte=end)
    events = Counter(dict(held.values_list("kind").annotate(n=Count("id")).order_by()))
    return TrainingFigures(
        courses=courses,
        groups=groups,
        dsl=dsl,
        events=dict(events),
        external_lessons=held.filter(kind="pupil_lesson", external=True).count(),
        sessions=Session.objects.filter(
            school=school, held_on__gte=start, held_on__lte=end
        ).count(),
    )
