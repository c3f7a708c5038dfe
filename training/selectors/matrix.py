"""The compliance matrix: people by required course (and read-and-sign document), each cell
valid, expiring, expired or not held.

Built in a constant number of queries whatever the number of people: the people, the settings,
the courses, the records' dates and the documents' signatures, then all in Python.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from esafety.contributions import accepted_documents
from esafety.people.models import School, User
from training.models import Course, Group, TrainingRecord, TrainingSettings
from training.selectors.people import Person, people_of
from training.services.common import settings_for
from training.validity import Cell, State, cell_for

# Which people a read-and-sign document asks, by its audiences (policies' audience values).
DOCUMENT_AUDIENCE_GROUPS = {"staff": Group.STAFF, "governors": Group.GOVERNORS}
# The matrix's filter by role: everyone, or one group.
ROLE_FILTERS = (("", "Everyone"), *Group.choices)
STATUS_FILTERS = (("", "Any status"), *State.choices)


@dataclass(frozen=True)
class Column:
    key: str  # the course's or document's code
    title: str
    kind: str  # "course" or "document"
    required_for: frozenset[str]
    note: str = ""  # the validity model, or the edition in force
    validity: str = ""  # a course's validity model
    course_kind: str = ""


@dataclass
class Row:
    person: Person
    cells: list[Cell | None]  # None: not required of this person

    @property
    def states(self) -> set[str]:
        return {c.state for c in self.cells if c is not None}

    @property
    def compliant(self) -> bool:
        return all(c.compliant for c in self.cells if c is not None)


@dataclass
class Matrix:
    columns: list[Column]
    rows: list[Row]
    today: datetime.date
    expiring_days: int
    totals: list[Counter[str]] = field(default_factory=list)

    def summary(self, rows: Iterable[Row]) -> list[Counter[str]]:
        """Per column, how many of these rows are in each state: numbers, no names."""
        counts: list[Counter[str]] = [Counter() for _ in self.columns]
        for row in rows:
            for i, cell in enumerate(row.cells):
                if cell is not None:
                    counts[i][cell.state] += 1
        return counts


def _note(course: Course) -> str:
    if course.validity == "rolling":
        return f"{course.months} months"
    if course.validity == "once":
        return f"once, within {course.within_days} days of starting"
    return f"each year, by {course.due_day} {datetime.date(2000, course.due_month or 1, 1):%B}"


def courses_in_use(*, school: School) -> QuerySet[Course]:
    settings_for(school=school)  # the default catalogue, on first use
    return Course.objects.filter(school=school, is_active=True)


def active_courses(*, school: School) -> list[Course]:
    # Read only: a school that has not used training yet has no catalogue, so nothing is due.
    return list(Course.objects.filter(school=school, is_active=True))


def settings_read(*, school: School) -> TrainingSettings:
    """The school's settings, or the defaults unsaved when it has not used training yet: the
    report, the figures, the digest and the reminders read without writing."""
    return TrainingSettings.objects.filter(school=school).first() or TrainingSettings(school=school)


def build_matrix(
    *,
    school: School,
    today: datetime.date | None = None,
    only: User | None = None,
    settings: TrainingSettings | None = None,
    people: list[Person] | None = None,
) -> Matrix:
    """`people`: the matrix of these people only (a page of people_of), reading only their
    records; otherwise of everyone (or `only`)."""
    today = today or timezone.localdate()
    settings = settings or settings_read(school=school)
    page_of = people
    if people is None:
        people = people_of(school=school, settings=settings, only=only)
    courses = active_courses(school=school)
    chosen = set(settings.read_and_sign)
    documents = (
        [d for d in accepted_documents(school=school) if str(d.code) in chosen] if chosen else []
    )
    columns = [
        Column(
            str(c.code),
            c.title,
            "course",
            frozenset(c.required_for),
            _note(c),
            validity=c.validity,
            course_kind=c.kind,
        )
        for c in courses
    ] + [
        Column(
            str(d.code),
            d.title,
            "document",
            frozenset(
                DOCUMENT_AUDIENCE_GROUPS[a] for a in d.audiences if a in DOCUMENT_AUDIENCE_GROUPS
            ),
            f"edition {d.edition}",
        )
        for d in documents
    ]
    completed: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
    unchecked: set[tuple[int, int]] = set()
    # As it stood on `today`: a report on a past period does not count what came after.
    records = TrainingRecord.objects.filter(
        school=school, course__in=courses, rejected_at__isnull=True, completed_on__lte=today
    )
    if only is not None:
        records = records.filter(person=only)
    elif page_of is not None:
        records = records.filter(person_id__in=[p.user.pk for p in page_of])
    for person_id, course_id, day, verified_at in records.values_list(
        "person_id", "course_id", "completed_on", "verified_at"
    ):
        if verified_at is None:
            unchecked.add((person_id, course_id))
        else:
            completed[(person_id, course_id)].append(day)
    start_month = school.academic_year_start_month
    rows = []
    for person in people:
        cells: list[Cell | None] = []
        for course in courses:
            if not person.groups & set(course.required_for):
                cells.append(None)
                continue
            key = (person.user.pk, course.pk)
            cells.append(
                cell_for(
                    course,
                    completed.get(key, []),
                    today=today,
                    start_month=start_month,
                    expiring_days=settings.expiring_days,
                    started_on=person.started_on,
                    awaiting_check=key in unchecked,
                )
            )
        for column, document in zip(columns[len(courses) :], documents, strict=True):
            if not person.groups & column.required_for:
                cells.append(None)
            else:
                signed = person.user.pk in document.accepted_by
                cells.append(Cell(State.VALID if signed else State.MISSING))
        rows.append(Row(person, cells))
    matrix = Matrix(columns, rows, today, settings.expiring_days)
    matrix.totals = matrix.summary(rows)
    return matrix


def filter_rows(rows: Iterable[Row], *, group: str = "", state: str = "") -> list[Row]:
    return [
        r
        for r in rows
        if (not group or group in r.person.groups) and (not state or state in r.states)
    ]
