"""When a record lapses, from its course's validity model, and what a person's cell says.

Plain functions of dates, so each model can be tested by time travel without a database.
"""

import calendar
import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import models

from training.models import Course, Validity


class State(models.TextChoices):
    VALID = "valid", "Valid"
    EXPIRING = "expiring", "Expiring soon"
    EXPIRED = "expired", "Expired"
    MISSING = "missing", "Not held"


BADGES: dict[str, str] = {
    State.VALID: "text-bg-success",
    State.EXPIRING: "text-bg-warning",
    State.EXPIRED: "text-bg-danger",
    State.MISSING: "text-bg-secondary",
}


def academic_year_of(day: datetime.date, start_month: int) -> int:
    """The calendar year the academic year holding `day` starts in (2025 for 2025/26)."""
    return day.year if day.month >= start_month else day.year - 1


def academic_year_label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def due_date_in(year: int, *, start_month: int, due_month: int, due_day: int) -> datetime.date:
    """The due date inside the academic year starting in `year`: a due month before the start
    month falls in the next calendar year (a January deadline of 2025/26 is in 2026)."""
    calendar_year = year if due_month >= start_month else year + 1
    last = calendar.monthrange(calendar_year, due_month)[1]
    return datetime.date(calendar_year, due_month, min(due_day, last))


def expires_on(
    course: Course, completed_on: datetime.date, start_month: int
) -> datetime.date | None:
    """The day the record lapses (the first day it no longer counts); None for a course held
    once for good."""
    if course.validity == Validity.ROLLING:
        lapses: datetime.date = completed_on + relativedelta(months=course.months or 0)
        return lapses
    if course.validity == Validity.ACADEMIC_YEAR:
        # Done in one academic year, it counts until the due date of the next: the update is
        # due each year by that date, not 365 days after the last one.
        year = academic_year_of(completed_on, start_month) + 1
        due = due_date_in(
            year,
            start_month=start_month,
            due_month=course.due_month or 1,
            due_day=course.due_day or 1,
        )
        return due + datetime.timedelta(days=1)
    return None


def once_due_on(course: Course, started_on: datetime.date) -> datetime.date | None:
    if course.validity != Validity.ONCE:
        return None
    return started_on + datetime.timedelta(days=course.within_days or 0)


@dataclass(frozen=True)
class Cell:
    state: str
    completed_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    # A course held once and not yet held: the day it is due (still in time until then).
    due_on: datetime.date | None = None
    # A record the person added that nobody has checked yet: it does not count until verified.
    awaiting_check: bool = False

    @property
    def label(self) -> str:
        return State(self.state).label

    @property
    def css(self) -> str:
        # Green valid, amber expiring, red expired, grey not held; the words say it too.
        return BADGES[self.state]

    @property
    def compliant(self) -> bool:
        return self.state in (State.VALID, State.EXPIRING)


def cell_for(
    course: Course,
    completed: list[datetime.date],
    *,
    today: datetime.date,
    start_month: int,
    expiring_days: int,
    started_on: datetime.date | None = None,
    awaiting_check: bool = False,
) -> Cell:
    """The state of one person's course from the days they completed it (verified records)."""
    if not completed:
        due = once_due_on(course, started_on) if started_on else None
        return Cell(State.MISSING, due_on=due, awaiting_check=awaiting_check)
    last = max(completed)
    ends = expires_on(course, last, start_month)
    if ends is None or ends - today > datetime.timedelta(days=expiring_days):
        state = State.VALID
    elif today < ends:
        state = State.EXPIRING
    else:
        state = State.EXPIRED
    return Cell(state, completed_on=last, expires_on=ends, awaiting_check=awaiting_check)
