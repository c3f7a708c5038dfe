"""Checking every row of a roster file and collecting its problems, every one of them, in line
order. Nothing here touches the database: what only the school's records can show is checked
when the file is applied."""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from esafety.people.roster.columns import FLAGS, GUARDIAN_SLOTS
from esafety.people.roster.parse import (
    DATE_HINT,
    as_record,
    parse_bool,
    parse_date,
    read_header,
    records,
    unreadable_cells,
)
from esafety.people.roster.problems import Problems, Rejected, problem


@dataclass(frozen=True)
class GuardianRow:
    email: str
    full_name: str
    relationship: str
    parental_responsibility: bool


@dataclass
class PupilRow:
    line: int
    mis_id: str
    # Model field -> value, only for the columns the file has: a column left out of the export
    # leaves that detail as it is.
    values: dict
    class_name: str | None  # None when the file has no class column
    leaving_date: datetime.date | None
    guardians: list[GuardianRow]


@dataclass
class CheckedFile:
    rows: list[PupilRow]  # empty when there are problems: such a file imports nothing
    problems: Problems
    has_guardians: bool
    ignored_columns: list[str]


def _text(
    record: dict[str, str], name: str, max_length: int, problems: list[str], required: bool = False
) -> str:
    value = record.get(name, "")
    if required and not value:
        problems.append(f"{name} is empty.")
    elif len(value) > max_length:
        # Not quoted back: the line number finds it, and the list of errors stays small.
        problems.append(f"{name} is longer than {max_length} characters.")
    return value


def _quote(value: str) -> str:
    # Enough of a wrong value to find it; a whole shifted line is not copied into the errors.
    return f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"


def _date(record: dict[str, str], name: str, problems: list[str]) -> datetime.date | None:
    value = record.get(name, "")
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        problems.append(f"{name} {_quote(value)} is not a date ({DATE_HINT}).")
    return parsed


def _flag(record: dict[str, str], name: str, problems: list[str], blank: bool) -> bool:
    value = record.get(name, "")
    if not value:
        return blank
    parsed = parse_bool(value)
    if parsed is None:
        problems.append(
            f"{name} {_quote(value)} is not yes or no (use yes/no, Y/N, true/false or 1/0)."
        )
        return blank
    return parsed


def _check_guardians(record: dict[str, str], problems: list[str]) -> list[GuardianRow]:
    guardians: list[GuardianRow] = []
    for n in GUARDIAN_SLOTS:
        email = record.get(f"guardian{n}_email", "").lower()
        name = _text(record, f"guardian{n}_name", 200, problems)
        relationship = _text(record, f"guardian{n}_relationship", 50, problems)
        pr = _flag(record, f"guardian{n}_parental_responsibility", problems, blank=True)
        if not email:
            # Contacts without an email are common in MIS exports; esafety has no use for them.
            continue
        try:
            if len(email) > 254:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            problems.append(f"guardian{n}_email {_quote(email)} is not an email address.")
            continue
        if any(g.email == email for g in guardians):
            problems.append(f"guardian{n}_email is the same as guardian1_email.")
            continue
        guardians.append(GuardianRow(email, name, relationship, pr))
    return guardians


def check_row(
    line: int, record: dict[str, str], columns: frozenset[str], today: datetime.date
) -> tuple[PupilRow | None, list[str]]:
    problems: list[str] = []
    mis_id = _text(record, "mis_id", 50, problems, required=True)
    values: dict = {
        "first_name": _text(record, "first_name", 100, problems, required=True),
        "last_name": _text(record, "last_name", 100, problems, required=True),
        "year_group": _text(record, "year_group", 20, problems, required=True),
    }
    if not record.get("date_of_birth"):
        problems.append("date_of_birth is empty.")
    elif dob := _date(record, "date_of_birth", problems):
        if dob > today:
            problems.append(f"date_of_birth {dob:%Y-%m-%d} is in the future.")
        elif dob.year < today.year - 30:
            problems.append(f"date_of_birth {dob:%Y-%m-%d} is over 30 years ago: check the year.")
        values["date_of_birth"] = dob
    for name in FLAGS:
        if name in columns:
            values[name] = _flag(record, name, problems, blank=False)
    on_roll = _date(record, "on_roll_date", problems)
    if "on_roll_date" in columns:
        values["on_roll_date"] = on_roll
    leaving = _date(record, "leaving_date", problems)
    if on_roll and leaving and leaving < on_roll:
        problems.append(
            f"leaving_date {leaving:%Y-%m-%d} is before on_roll_date {on_roll:%Y-%m-%d}."
        )
    class_name = _text(record, "class", 50, problems) if "class" in columns else None
    guardians = _check_guardians(record, problems)
    if problems:
        return None, problems
    return PupilRow(line, mis_id, values, class_name, leaving, guardians), []


def check_file(
    data: bytes,
    *,
    today: datetime.date,
    on_total: Callable[[int], None] = lambda n: None,
    on_progress: Callable[[int], None] = lambda n: None,
) -> CheckedFile:
    """Read and check the whole file. Raises Rejected for a problem with the file as a whole;
    row problems are collected in the result, every one of them."""
    # Counted in a first pass, which also finds a file that is not UTF-8 or not CSV before any
    # line is checked: the progress bar knows the total and no record is kept.
    total = sum(1 for _ in records(data))
    lines = records(data)
    first = next(lines, None)
    if first is None:
        raise Rejected([problem(None, "The file is empty.")])
    header_line, header_cells = first
    header, ignored = read_header(header_line, header_cells)
    if total == 1:
        raise Rejected(
            [problem(None, "The file has a header line but no pupils: nothing to import.")]
        )
    on_total(total - 1)
    columns = frozenset(header)
    # Progress is saved at most 20 times, so the query count never grows with the file.
    step = max(250, math.ceil((total - 1) / 20))
    rows: list[PupilRow] = []
    found = Problems()
    first_line: dict[str, int] = {}
    for i, (line, cells) in enumerate(lines, start=1):
        if i % step == 0:
            on_progress(i)
        unreadable = unreadable_cells(header, cells)
        if unreadable:
            for message in unreadable:
                found.add(line, message)
            continue
        record = as_record(header, cells)
        row, problems = check_row(line, record, columns, today)
        mis_id = record.get("mis_id", "")
        if mis_id and mis_id in first_line:
            problems.append(
                f"mis_id {_quote(mis_id)} is also on line {first_line[mis_id]}: "
                "each pupil must appear once."
            )
        elif mis_id:
            first_line[mis_id] = line
        for message in problems:
            found.add(line, message)
        if row is not None and not found.count:
            rows.append(row)
    on_progress(total - 1)
    has_guardians = any(f"guardian{n}_email" in columns for n in GUARDIAN_SLOTS)
    # A file with a problem imports nothing, so its good rows are not worth keeping.
    return CheckedFile(rows if not found.count else [], found, has_guardians, ignored)
