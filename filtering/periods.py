"""The school's check periods (a week, a month or a term) and monitoring report weeks.

Terms are England's usual three: autumn from September, spring from January, summer from April
(Easter moves, so spring's end is fixed at the end of March). A period's key names it in a
reminder's key, so a reminder is sent once a period.
"""

import datetime
from dataclasses import dataclass

from filtering.models import Cadence

TERMS = ((9, "Autumn"), (1, "Spring"), (4, "Summer"))


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: datetime.date
    end: datetime.date  # inclusive


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _term(day: datetime.date) -> Period:
    if day.month >= 9:
        return Period(
            f"{day.year}-autumn",
            f"Autumn term {day.year}",
            datetime.date(day.year, 9, 1),
            datetime.date(day.year, 12, 31),
        )
    if day.month <= 3:
        return Period(
            f"{day.year}-spring",
            f"Spring term {day.year}",
            datetime.date(day.year, 1, 1),
            datetime.date(day.year, 3, 31),
        )
    return Period(
        f"{day.year}-summer",
        f"Summer term {day.year}",
        datetime.date(day.year, 4, 1),
        datetime.date(day.year, 8, 31),
    )


def period_of(day: datetime.date, cadence: str) -> Period:
    if cadence == Cadence.WEEKLY:
        start = monday_of(day)
        return Period(
            f"{start.isocalendar().year}-W{start.isocalendar().week:02d}",
            f"Week of {start:%-d %B %Y}",
            start,
            start + datetime.timedelta(days=6),
        )
    if cadence == Cadence.MONTHLY:
        start = day.replace(day=1)
        after = (start + datetime.timedelta(days=32)).replace(day=1)
        return Period(f"{day:%Y-%m}", f"{day:%B %Y}", start, after - datetime.timedelta(days=1))
    return _term(day)


def due_weeks(first: datetime.date | None, today: datetime.date) -> list[datetime.date]:
    """The Mondays of every week whose report is due by `today`: from the week of `first` to the
    last week that has ended. Newest first."""
    if first is None:
        return []
    week = monday_of(first)
    last = monday_of(today) - datetime.timedelta(days=7)
    weeks = []
    while week <= last:
        weeks.append(week)
        week += datetime.timedelta(days=7)
    return weeks[::-1]
