"""The periods a report covers: a term, an academic year, or any two dates, and the period
before each (the figures beside).

Terms follow the school's academic year: autumn from its first month for four months, spring
the next four, summer the last four (in England: September to December, January to April,
May to August), so that the three terms cover the year with no gap for a count to fall in.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

TERMS = ("Autumn", "Spring", "Summer")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str
    kind: str  # "term", "year" or "custom"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _year_start(school, day: datetime.date) -> datetime.date:
    month = school.academic_year_start_month
    year = day.year if day.month >= month else day.year - 1
    return datetime.date(year, month, 1)


def _year_label(start: datetime.date) -> str:
    return f"{start.year}/{(start.year + 1) % 100:02d}"


def term_of(school, day: datetime.date) -> Period:
    year_start = _year_start(school, day)
    index = min((relativedelta(day, year_start).months) // 4, 2)
    start = year_start + relativedelta(months=4 * index)
    end = start + relativedelta(months=4) - datetime.timedelta(days=1)
    return Period(start, end, f"{TERMS[index]} term {_year_label(year_start)}", "term")


def year_of(school, day: datetime.date) -> Period:
    start = _year_start(school, day)
    end = start + relativedelta(years=1) - datetime.timedelta(days=1)
    return Period(start, end, f"Academic year {_year_label(start)}", "year")


def custom(start: datetime.date, end: datetime.date) -> Period:
    return Period(start, end, f"{start:%-d %B %Y} to {end:%-d %B %Y}", "custom")


def previous(school, period: Period) -> Period:
    """The period before: the previous term or year; for two dates, as many days before."""
    if period.kind == "term":
        return term_of(school, period.start - datetime.timedelta(days=1))
    if period.kind == "year":
        return year_of(school, period.start - datetime.timedelta(days=1))
    end = period.start - datetime.timedelta(days=1)
    return custom(end - datetime.timedelta(days=period.days - 1), end)
