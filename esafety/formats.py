"""Dates as the pages write them, without Django's general formatter.

`django.utils.formats.date_format(value, "j M Y")` splits the format with a regular expression,
looks each letter up as a method and translates the month on every call: 40 µs a date, most
of the time of a list whose rows each show one (25 concerns, 50 audit events). `date_text`
writes the same text for the few letters the pages use; `tests/test_formats.py` holds it to
Django's own output.
"""

import datetime
import functools

from django.utils.dates import MONTHS_3
from django.utils.translation import get_language

# What each letter writes, as Django's DateFormat writes it.
_LETTERS = {
    "j": lambda d, months: str(d.day),
    "d": lambda d, months: f"{d.day:02d}",
    "M": lambda d, months: months[d.month],
    "Y": lambda d, months: f"{d.year:04d}",
    "H": lambda d, months: f"{d.hour:02d}",
    "i": lambda d, months: f"{d.minute:02d}",
    "s": lambda d, months: f"{d.second:02d}",
}
_TIME_LETTERS = frozenset("His")


@functools.lru_cache(maxsize=64)
def _months(language: str | None) -> dict[int, str]:
    # DateFormat.M: the translated three-letter name, title-cased ("Jan").
    return {number: str(name).title() for number, name in MONTHS_3.items()}


@functools.lru_cache(maxsize=64)
def _parts(pattern: str) -> tuple:
    parts = []
    for char in pattern:
        if char in _LETTERS:
            parts.append(_LETTERS[char])
        elif char.isalpha() or char == "\\":
            raise ValueError(f"date_text does not write {char!r}: use date_format for {pattern!r}")
        else:
            parts.append(char)
    return tuple(parts)


def date_text(value: datetime.date, pattern: str = "j M Y") -> str:
    """`value` written as date_format(value, pattern) writes it, for a pattern of the letters
    j, d, M, Y, H, i and s and punctuation ("j M Y", "j M Y, H:i", "j M Y H:i:s"). A datetime
    is written as it is given: convert it to the reader's time zone first."""
    parts = _parts(pattern)
    if not isinstance(value, datetime.datetime) and _TIME_LETTERS.intersection(pattern):
        raise TypeError(f"A date has no time to write in {pattern!r}.")
    months = _months(get_language())
    return "".join(part if isinstance(part, str) else part(value, months) for part in parts)
