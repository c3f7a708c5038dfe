"""esafety.formats.date_text writes what Django's date_format writes, for every pattern the pages
use, across every month, single- and double-digit days and times, and an aware datetime."""

import datetime
import zoneinfo

import pytest
from django.utils import translation
from django.utils.formats import date_format

from esafety.formats import date_text

PATTERNS = ["j M Y", "j M Y, H:i", "j M Y H:i:s", "j M H:i", "j M", "d M Y"]
LONDON = zoneinfo.ZoneInfo("Europe/London")


def _moments():
    for month in range(1, 13):
        for day, hour, minute, second in ((1, 0, 0, 0), (9, 9, 5, 7), (28, 23, 59, 59)):
            yield datetime.datetime(2026, month, day, hour, minute, second, 123456, tzinfo=LONDON)
    yield datetime.datetime(987, 3, 4, 5, 6, 7)  # a year of three digits is written with four


@pytest.mark.parametrize("pattern", PATTERNS)
def test_it_writes_what_date_format_writes(pattern):
    for moment in _moments():
        assert date_text(moment, pattern) == date_format(moment, pattern)
        if "H" not in pattern:
            assert date_text(moment.date(), pattern) == date_format(moment.date(), pattern)


def test_the_month_follows_the_language():
    moment = datetime.date(2026, 5, 3)
    with translation.override("fr"):
        assert date_text(moment) == date_format(moment, "j M Y")
    assert date_text(moment) == "3 May 2026"


def test_it_refuses_what_it_does_not_write():
    with pytest.raises(ValueError, match="date_format"):
        date_text(datetime.date(2026, 5, 3), "l j F Y")
    with pytest.raises(TypeError):
        date_text(datetime.date(2026, 5, 3), "j M Y H:i")


def test_the_filter_writes_what_the_date_filter_writes_in_the_readers_time_zone():
    from django.template import Context, Template

    summer = datetime.datetime(2026, 7, 1, 22, 30, tzinfo=datetime.UTC)  # 23:30 in London
    values = Context({"at": summer, "day": summer.date(), "none": None})
    # (A date with a time pattern is an error for both.)
    for name, pattern in [
        ("at", "j M Y, H:i"),
        ("at", "j M Y"),
        ("day", "j M Y"),
        ("none", "j M Y, H:i"),
    ]:
        ours = Template("{% load dates %}{{ " + name + '|date_text:"' + pattern + '" }}')
        theirs = Template("{{ " + name + '|date:"' + pattern + '" }}')
        assert ours.render(values) == theirs.render(values)
    ours = Template('{% load dates %}{{ at|date_text:"j M Y, H:i" }}')
    assert ours.render(values) == "1 Jul 2026, 23:30"
