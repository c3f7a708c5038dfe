"""Check periods (terms, months, weeks) and the weeks a monitoring report is due."""

import datetime

from filtering.models import Cadence
from filtering.periods import due_weeks, monday_of, period_of

D = datetime.date


def test_terms_run_autumn_spring_summer():
    assert period_of(D(2026, 12, 1), Cadence.TERMLY).key == "2026-autumn"
    assert period_of(D(2027, 1, 4), Cadence.TERMLY).key == "2027-spring"
    assert period_of(D(2027, 3, 31), Cadence.TERMLY).key == "2027-spring"
    summer = period_of(D(2027, 4, 1), Cadence.TERMLY)
    assert (summer.key, summer.start, summer.end) == ("2027-summer", D(2027, 4, 1), D(2027, 8, 31))


def test_months_and_weeks():
    feb = period_of(D(2028, 2, 10), Cadence.MONTHLY)
    assert (feb.key, feb.start, feb.end) == ("2028-02", D(2028, 2, 1), D(2028, 2, 29))
    week = period_of(D(2026, 12, 3), Cadence.WEEKLY)
    assert (week.start, week.end) == (D(2026, 11, 30), D(2026, 12, 6))
    # The ISO year: the last days of December can be week 1 of the next year.
    assert period_of(D(2024, 12, 31), Cadence.WEEKLY).key == "2025-W01"


def test_a_report_is_due_once_its_week_has_ended():
    today = D(2026, 12, 2)  # a Wednesday
    assert monday_of(today) == D(2026, 11, 30)
    assert due_weeks(None, today) == []
    assert due_weeks(D(2026, 11, 30), today) == []  # this week's report is not due yet
    assert due_weeks(D(2026, 11, 18), today) == [D(2026, 11, 23), D(2026, 11, 16)]
