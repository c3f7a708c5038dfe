"""Engagement events and the term's checks: has each year group had its online-safety lesson
this term, and has this academic year had its lesson from an external presenter?"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from esafety.people.models import School
from esafety.people.selectors import year_groups_on_roll
from training.models import EngagementEvent, EventKind, Session
from training.validity import academic_year_label, academic_year_of

EVENTS_SHOWN = 50
# Terms as months from the start of the academic year: with a September start, autumn is
# September to December, spring January to March, summer April to August.
TERMS = (("Autumn", 0, 4), ("Spring", 4, 7), ("Summer", 7, 12))


@dataclass(frozen=True)
class Term:
    name: str
    year: int  # the academic year it belongs to, by its starting calendar year
    starts: datetime.date
    ends: datetime.date  # the last day

    @property
    def label(self) -> str:
        return f"{self.name} term {academic_year_label(self.year)}"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.name.lower()}"


def _month(year: int, start_month: int, offset: int) -> datetime.date:
    index = start_month - 1 + offset
    return datetime.date(year + index // 12, index % 12 + 1, 1)


def term_of(day: datetime.date, start_month: int) -> Term:
    year = academic_year_of(day, start_month)
    for name, first, end in TERMS:
        starts, after = _month(year, start_month, first), _month(year, start_month, end)
        if starts <= day < after:
            return Term(name, year, starts, after - datetime.timedelta(days=1))
    raise AssertionError("the terms cover the year")


def year_start(year: int, start_month: int) -> datetime.date:
    return datetime.date(year, start_month, 1)


@dataclass(frozen=True)
class YearGroupCheck:
    year_group: str
    lessons: int


@dataclass(frozen=True)
class EngagementStatus:
    term: Term
    year_groups: list[YearGroupCheck]
    external_this_year: int
    academic_year: str

    @property
    def missing(self) -> list[str]:
        return [y.year_group for y in self.year_groups if not y.lessons]


def engagement_status(*, school: School, today: datetime.date) -> EngagementStatus:
    """Three queries: the year groups on roll, this term's lessons and this year's external."""
    start_month = school.academic_year_start_month
    term = term_of(today, start_month)
    lessons = EngagementEvent.objects.filter(
        school=school, kind=EventKind.PUPIL_LESSON, held_on__gte=term.starts, held_on__lte=term.ends
    ).values_list("year_groups", flat=True)
    counts: dict[str, int] = {}
    for groups in lessons:
        for g in groups:
            counts[g] = counts.get(g, 0) + 1
    external = EngagementEvent.objects.filter(
        school=school,
        kind=EventKind.PUPIL_LESSON,
        external=True,
        held_on__gte=year_start(term.year, start_month),
        held_on__lte=today,
    ).count()
    return EngagementStatus(
        term=term,
        year_groups=[YearGroupCheck(y, counts.get(y, 0)) for y in year_groups_on_roll(school)],
        external_this_year=external,
        academic_year=academic_year_label(term.year),
    )


def events_for(*, school: School) -> QuerySet[EngagementEvent]:
    return EngagementEvent.objects.filter(school=school).select_related("recorded_by")


def sessions_for(*, school: School) -> QuerySet[Session]:
    return Session.objects.filter(school=school).select_related("course")
