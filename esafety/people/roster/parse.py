"""Reading a roster file: its encoding and records, the header line, a line's cells, and the
dates and yes-or-no values in them. Nothing here touches the database."""

import csv
import datetime
import io
import re
from collections.abc import Iterator

from esafety.people.roster.columns import COLUMN_NAMES, GUARDIAN_SLOTS, REQUIRED
from esafety.people.roster.problems import Rejected, problem

DATE_HINT = "use YYYY-MM-DD or DD/MM/YYYY"
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})
NOT_UTF8 = (
    "The file is not UTF-8 text. In Excel choose File › Save As › "
    "'CSV UTF-8 (Comma delimited)' and upload that file."
)
# A NUL is no character of any text a MIS exports (PostgreSQL refuses to store one): it comes
# from a file saved as UTF-16 or damaged on the way.
NUL_HINT = (
    "a NUL character (a zero byte), which is not text. Save the file from your MIS or "
    "spreadsheet again as 'CSV UTF-8 (Comma delimited)'"
)


def normalise_header(name: str) -> str:
    """'Date of Birth' → date_of_birth, 'Guardian 1 Email' → guardian1_email."""
    name = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return re.sub(r"^guardian_(\d)_", r"guardian\1_", name)


def parse_bool(value: str) -> bool | None:
    v = value.strip().lower()
    if v in YES:
        return True
    if v in NO:
        return False
    return None


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(value: str) -> datetime.date | None:
    if m := _ISO.fullmatch(value):
        y, mo, d = m.groups()
    elif m := _UK.fullmatch(value):
        d, mo, y = m.groups()
    else:
        return None
    try:
        return datetime.date(int(y), int(mo), int(d))
    except ValueError:  # 31/02/2015
        return None


def records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for every non-blank record; the line is where the record ends, which is
    the spreadsheet's row number unless a cell holds a line break.

    Decoded and read a record at a time: a file of half a million lines is never held as one
    long string, nor as a list of its lines.
    """
    # utf-8-sig: Excel's "CSV UTF-8" starts with a byte order mark.
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    # skipinitialspace: a quoted value after a comma and a space is still a quoted value.
    reader = csv.reader(text, skipinitialspace=True)
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield reader.line_num, [c.strip() for c in cells]
    except UnicodeDecodeError:
        raise Rejected([problem(None, NOT_UTF8)]) from None
    except csv.Error as e:
        raise Rejected(
            [problem(reader.line_num, f"the file cannot be read as CSV here ({e}).")]
        ) from None


def read_header(line: int, cells: list[str]) -> tuple[list[str], list[str]]:
    """The normalised column names and the names of columns that will be ignored."""
    if any("\x00" in c for c in cells):
        raise Rejected([problem(line, f"The first line contains {NUL_HINT}.")])
    header = [normalise_header(c) for c in cells]
    if len(cells) == 1 and (";" in cells[0] or "\t" in cells[0]):
        raise Rejected(
            [
                problem(
                    line,
                    "The values are separated by semicolons or tabs, not commas. In Excel "
                    "choose File › Save As › 'CSV UTF-8 (Comma delimited)'.",
                )
            ]
        )
    problems = []
    seen: set[str] = set()
    for name in header:
        if name and name in seen and name in COLUMN_NAMES:
            problems.append(f"The column {name} appears twice in the first line.")
        seen.add(name)
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        problems.append(
            "The file has no column for "
            + ", ".join(missing)
            + ". The first line must name the columns: see the list on the import page."
        )
    for n in GUARDIAN_SLOTS:
        others = sorted(c for c in seen if c.startswith(f"guardian{n}_") and c in COLUMN_NAMES)
        if others and f"guardian{n}_email" not in seen:
            problems.append(
                f"The file has {', '.join(others)} but no guardian{n}_email column: a guardian "
                "is known by their email."
            )
    if problems:
        raise Rejected([problem(line, p) for p in problems])
    ignored = [c for c, name in zip(cells, header, strict=True) if c and name not in COLUMN_NAMES]
    return header, ignored


def unreadable_cells(header: list[str], cells: list[str]) -> list[str]:
    """What makes a line's cells unreadable, found before any of its values is checked."""
    if len(cells) > len(header) and any(cells[len(header) :]):
        return [
            f"this line has {len(cells)} values but the first line names "
            f"{len(header)} columns: is there a comma inside a value without quotes?"
        ]
    # Checked before anything else: a message that quoted the value would carry the NUL.
    return [
        f"{name or f'column {j + 1}'} contains {NUL_HINT}."
        for j, (name, c) in enumerate(zip(header, cells, strict=False))
        if "\x00" in c
    ]


def as_record(header: list[str], cells: list[str]) -> dict[str, str]:
    """A line's cells by column name; a short line's missing cells are blank."""
    return {name: cells[j] if j < len(cells) else "" for j, name in enumerate(header)}
