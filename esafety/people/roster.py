"""Importing the pupil roster from a CSV file exported by the school's MIS.

All or nothing. The whole file is read and checked first and every bad row is reported with its
line number; only a file with no problems is written, in one transaction and with bulk queries,
so a school of 2,000 pupils imports in seconds and the query count does not grow per row.
Pupils are matched by MIS id, so importing the same file twice changes nothing the second time.
"""

import csv
import datetime
import io
import json
import logging
import math
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from esafety.audit.services import Entry, audit_record, audit_record_many
from esafety.people.models import Guardian, Pupil, Role, RosterImport, School, SchoolClass, User

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died: the import's single write transaction
# was rolled back with it, so running it again is safe. Longer than the task's time limit.
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
# The hand-off to the worker is taken as lost once an import has waited this long.
PENDING_TIMEOUT = datetime.timedelta(minutes=1)
BATCH = 500
# Problems listed on the import's page; the download lists every one.
SHOWN = 100
GUARDIAN_SLOTS = (1, 2)
DATE_HINT = "use YYYY-MM-DD or DD/MM/YYYY"
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    meaning: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "mis_id",
        True,
        "The pupil's id in your MIS (admission number or UPN). Always export the same one: "
        "it is how a later import finds the pupil again.",
    ),
    Column("first_name", True, "Up to 100 characters."),
    Column("last_name", True, "Up to 100 characters."),
    Column("date_of_birth", True, "YYYY-MM-DD or DD/MM/YYYY."),
    Column("year_group", True, "As your MIS writes it, for example Year 5 or R."),
    Column("class", False, "Registration class or form. A new name creates the class."),
    Column("sen", False, "Special educational needs: yes or no. Blank means no."),
    Column("looked_after", False, "Looked-after child: yes or no. Blank means no."),
    Column("cp_plan", False, "On a child-protection plan: yes or no. Blank means no."),
    Column("on_roll_date", False, "The date the pupil joined the school."),
    Column(
        "leaving_date",
        False,
        "The date the pupil left. A date up to today takes the pupil off roll; a later date "
        "keeps them on roll until you import again after it.",
    ),
    Column(
        "guardian1_email",
        False,
        "A parent or carer's email. Someone who has accepted a parent invitation with this "
        "email is linked to the pupil.",
    ),
    Column("guardian1_name", False, "Their name, up to 200 characters."),
    Column("guardian1_relationship", False, "For example Mother, Father, Carer."),
    Column(
        "guardian1_parental_responsibility",
        False,
        "yes or no: do they hold parental responsibility? Blank means yes.",
    ),
    Column("guardian2_email", False, "The same four columns for a second parent or carer."),
    Column("guardian2_name", False, ""),
    Column("guardian2_relationship", False, ""),
    Column("guardian2_parental_responsibility", False, ""),
)
COLUMN_NAMES = frozenset(c.name for c in COLUMNS)
REQUIRED = tuple(c.name for c in COLUMNS if c.required)
FLAGS = ("sen", "looked_after", "cp_plan")
GUARDIAN_FIELDS = ("full_name", "relationship", "parental_responsibility")
# The pupil fields a re-import may change, and the words used for them in audit summaries.
FIELD_LABELS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "date_of_birth": "date_of_birth",
    "year_group": "year_group",
    "school_class_id": "class",
    "sen": "sen",
    "looked_after": "looked_after",
    "cp_plan": "cp_plan",
    "on_roll_date": "on_roll_date",
    "left_date": "left_date",
}


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


def _problem(line: int | None, message: str) -> dict:
    return {"line": line, "message": message}


class Problems:
    """The problems found in a file, in the order found, which is line order.

    The first SHOWN are kept for the page. Once there are more, every one is written to a
    temporary file for the download, so a file of 500,000 bad lines costs disk space, not the
    worker's memory.
    """

    def __init__(self, problems: Iterable[dict] = ()) -> None:
        self.count = 0
        self.lines = 0  # how many lines have a problem
        self.first: list[dict] = []
        self._last_line: int | None = None
        self._spool: IO[bytes] | None = None
        for problem in problems:
            self.add(problem["line"], problem["message"])

    def add(self, line: int | None, message: str) -> None:
        problem = _problem(line, message)
        self.count += 1
        if line is not None and line != self._last_line:
            self.lines += 1
            self._last_line = line
        if len(self.first) < SHOWN:
            self.first.append(problem)
            return
        if self._spool is None:
            # Outlives this call: close() ends it once the problems are saved.
            self._spool = tempfile.TemporaryFile()  # noqa: SIM115
            for shown in self.first:
                self._spool.write(json.dumps(shown).encode() + b"\n")
        self._spool.write(json.dumps(problem).encode() + b"\n")

    def spooled(self) -> File | None:
        """All of them, one JSON object a line; None when the first SHOWN are all there is."""
        if self._spool is None:
            return None
        self._spool.seek(0)
        return File(self._spool)

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()


@dataclass
class CheckedFile:
    rows: list[PupilRow]  # empty when there are problems: such a file imports nothing
    problems: Problems
    has_guardians: bool
    ignored_columns: list[str]


class Rejected(Exception):
    def __init__(self, problems: Problems | list[dict]) -> None:
        if not isinstance(problems, Problems):
            problems = Problems(problems)
        super().__init__(f"{problems.count} problem(s)")
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# Reading and checking the file. Nothing here touches the database.


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


NOT_UTF8 = (
    "The file is not UTF-8 text. In Excel choose File › Save As › "
    "'CSV UTF-8 (Comma delimited)' and upload that file."
)


def _records(data: bytes) -> Iterator[tuple[int, list[str]]]:
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
        raise Rejected([_problem(None, NOT_UTF8)]) from None
    except csv.Error as e:
        raise Rejected(
            [_problem(reader.line_num, f"the file cannot be read as CSV here ({e}).")]
        ) from None


# A NUL is no character of any text a MIS exports (PostgreSQL refuses to store one): it comes
# from a file saved as UTF-16 or damaged on the way.
NUL_HINT = (
    "a NUL character (a zero byte), which is not text. Save the file from your MIS or "
    "spreadsheet again as 'CSV UTF-8 (Comma delimited)'"
)


def _check_header(line: int, cells: list[str]) -> tuple[list[str], list[str]]:
    """The normalised column names and the names of columns that will be ignored."""
    if any("\x00" in c for c in cells):
        raise Rejected([_problem(line, f"The first line contains {NUL_HINT}.")])
    header = [normalise_header(c) for c in cells]
    if len(cells) == 1 and (";" in cells[0] or "\t" in cells[0]):
        raise Rejected(
            [
                _problem(
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
        raise Rejected([_problem(line, p) for p in problems])
    ignored = [c for c, name in zip(cells, header, strict=True) if c and name not in COLUMN_NAMES]
    return header, ignored


def _text(
    record: dict[str, str], name: str, max_length: int, problems: list[str], required=False
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
    total = sum(1 for _ in _records(data))
    records = _records(data)
    first = next(records, None)
    if first is None:
        raise Rejected([_problem(None, "The file is empty.")])
    header_line, header_cells = first
    header, ignored = _check_header(header_line, header_cells)
    if total == 1:
        raise Rejected(
            [_problem(None, "The file has a header line but no pupils: nothing to import.")]
        )
    on_total(total - 1)
    columns = frozenset(header)
    # Progress is saved at most 20 times, so the query count never grows with the file.
    step = max(250, math.ceil((total - 1) / 20))
    rows: list[PupilRow] = []
    found = Problems()
    first_line: dict[str, int] = {}
    for i, (line, cells) in enumerate(records, start=1):
        if i % step == 0:
            on_progress(i)
        if len(cells) > len(header) and any(cells[len(header) :]):
            found.add(
                line,
                f"this line has {len(cells)} values but the first line names "
                f"{len(header)} columns: is there a comma inside a value without quotes?",
            )
            continue
        nul = [
            name or f"column {j + 1}"
            for j, (name, c) in enumerate(zip(header, cells, strict=False))
            if "\x00" in c
        ]
        if nul:
            # Checked before anything else: a message that quoted the value would carry the NUL.
            for name in nul:
                found.add(line, f"{name} contains {NUL_HINT}.")
            continue
        record = {name: cells[j] if j < len(cells) else "" for j, name in enumerate(header)}
        row, problems = check_row(line, record, columns, today)
        mis_id = record.get("mis_id", "")
        if mis_id and mis_id in first_line:
            problems.append(
                f"mis_id {_quote(mis_id)} is also on line {first_line[mis_id]}: "
                "each pupil must appear once."
            )
        elif mis_id:
            first_line[mis_id] = line
        for problem in problems:
            found.add(line, problem)
        if row is not None and not found.count:
            rows.append(row)
    on_progress(total - 1)
    has_guardians = any(f"guardian{n}_email" in columns for n in GUARDIAN_SLOTS)
    # A file with a problem imports nothing, so its good rows are not worth keeping.
    return CheckedFile(rows if not found.count else [], found, has_guardians, ignored)


# ---------------------------------------------------------------------------------------------
# Writing. One transaction, bulk queries, one audit write.


def _parents_by_email(school: School) -> dict[str, int]:
    # The rule of services.linked_parent (an active parent membership at this school proves
    # the person controls the email), for every email at once instead of a query per guardian.
    return {
        email.lower(): pk
        for email, pk in User.objects.filter(
            memberships__school=school,
            memberships__role=Role.PARENT,
            memberships__is_active=True,
        ).values_list("email", "id")
    }


def _ensure_pks(objs: list, model, school: School, key: str) -> None:
    # PostgreSQL and SQLite ≥ 3.35 return the new ids from a bulk insert; elsewhere reload them.
    if all(o.pk for o in objs):
        return
    ids = dict(model.objects.filter(school=school).values_list(key, "id"))
    for o in objs:
        o.pk = ids[getattr(o, key)]


def _school_today(school: School) -> datetime.date:
    return timezone.localdate(timezone=ZoneInfo(school.timezone))


def _desired_pupil_state(row: PupilRow, class_ids: dict[str, int], today: datetime.date) -> dict:
    target = dict(row.values)
    if row.class_name is not None:
        target["school_class_id"] = class_ids[row.class_name] if row.class_name else None
    # Being in the export means being on roll, unless the leaving date has passed; this is
    # also what puts a returning pupil back on roll.
    leaving = row.leaving_date
    target["left_date"] = leaving if leaving is not None and leaving <= today else None
    return target


def bulk_update_rows(model: type[models.Model], objs: list, field_names: list[str]) -> None:
    """Save field_names of objs with one UPDATE … FROM (VALUES …) per batch.

    Django's bulk_update builds a CASE expression per row and per field in Python: a new school
    year (2,000 pupils moving up, their guardians updated) took 20 s that way; this takes well
    under one. PostgreSQL and SQLite ≥ 3.33 understand it; anything else gets bulk_update.
    """
    if not objs:
        return
    sqlite_version = getattr(connection.Database, "sqlite_version_info", (0,))
    sqlite_too_old = connection.vendor == "sqlite" and sqlite_version < (3, 33)
    if connection.vendor not in ("postgresql", "sqlite") or sqlite_too_old:
        model.objects.bulk_update(objs, field_names, batch_size=BATCH)
        return
    meta = model._meta
    fields = [meta.pk, *(meta.get_field(name) for name in field_names)]
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # A VALUES list guesses its column types; a column that is NULL in every row would be
        # text, which a date column refuses.
        cells = ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in fields)
    else:
        cells = ", ".join("%s" for _ in fields)
    table = qn(meta.db_table)
    pk = qn(meta.pk.column)
    columns = ", ".join(qn(f.column) for f in fields)
    assignments = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in fields[1:])
    size = min(BATCH, connection.ops.bulk_batch_size(fields, objs))
    with connection.cursor() as cursor:
        for i in range(0, len(objs), size):
            batch = objs[i : i + size]
            values = ", ".join(f"({cells})" for _ in batch)
            params = [
                f.get_db_prep_save(getattr(obj, f.attname), connection)
                for obj in batch
                for f in fields
            ]
            cursor.execute(
                f"WITH v ({columns}) AS (VALUES {values}) "  # noqa: S608 (names, not input)
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{pk} = v.{pk}",
                params,
            )


def apply_roster(
    *, school: School, actor: User | None, checked: CheckedFile, today: datetime.date
) -> tuple[dict, list[Entry]]:
    """Write a checked file. Call inside a transaction; raises Rejected (writing nothing) for
    problems that only the school's existing records reveal."""
    School.objects.select_for_update().filter(pk=school.pk).first()  # one import at a time
    now = timezone.now()
    existing = {p.mis_id: p for p in Pupil.objects.filter(school=school)}
    classes = {c.name: c for c in SchoolClass.objects.filter(school=school)}

    problems = Problems()
    for row in checked.rows:
        pupil = existing.get(row.mis_id)
        on_roll = row.values.get("on_roll_date", pupil.on_roll_date if pupil else None)
        if row.leaving_date and on_roll and row.leaving_date < on_roll:
            problems.add(
                row.line,
                f"leaving_date {row.leaving_date:%Y-%m-%d} is before the date this pupil "
                f"joined ({on_roll:%Y-%m-%d}, already in esafety): add an on_roll_date "
                "column or correct the leaving date.",
            )
    if problems.count:
        raise Rejected(problems)

    entries: list[Entry] = []
    new_classes: list[SchoolClass] = []
    for row in checked.rows:
        if row.class_name and row.class_name not in classes:
            # A mixed-age class takes the year group of the first pupil listed in it.
            c = SchoolClass(school=school, name=row.class_name, year_group=row.values["year_group"])
            classes[c.name] = c
            new_classes.append(c)
    SchoolClass.objects.bulk_create(new_classes, batch_size=BATCH)
    _ensure_pks(new_classes, SchoolClass, school, "name")
    entries += [Entry("class.created", c, c.name) for c in new_classes]
    class_ids = {name: c.pk for name, c in classes.items()}

    counts = dict.fromkeys(
        ("created", "updated", "unchanged", "left", "returned", "leaving_later"), 0
    )
    counts["classes_created"] = len(new_classes)
    created: list[Pupil] = []
    changed: list[Pupil] = []
    changed_fields: set[str] = set()
    pupil_of_row: dict[str, Pupil] = {}
    for row in checked.rows:
        target = _desired_pupil_state(row, class_ids, today)
        if row.leaving_date and row.leaving_date > today:
            counts["leaving_later"] += 1
        pupil = existing.get(row.mis_id)
        if pupil is None:
            pupil = Pupil(school=school, mis_id=row.mis_id, **target)
            created.append(pupil)
            counts["created"] += 1
            summary = f"MIS {row.mis_id}" + (" (off roll)" if target["left_date"] else "")
            entries.append(Entry("pupil.created", pupil, summary))
        else:
            diff = [f for f, v in target.items() if getattr(pupil, f) != v]
            if diff:
                was_on_roll = pupil.left_date is None
                for f in diff:
                    setattr(pupil, f, target[f])
                pupil.updated_at = now
                changed.append(pupil)
                changed_fields.update(diff)
                if was_on_roll and pupil.left_date is not None:
                    action, counts["left"] = "pupil.left", counts["left"] + 1
                elif not was_on_roll and pupil.left_date is None:
                    action, counts["returned"] = "pupil.returned", counts["returned"] + 1
                else:
                    action, counts["updated"] = "pupil.updated", counts["updated"] + 1
                labels = ", ".join(sorted(FIELD_LABELS[f] for f in diff))
                entries.append(Entry(action, pupil, f"MIS {row.mis_id}: {labels}"))
            else:
                counts["unchanged"] += 1
        pupil_of_row[row.mis_id] = pupil

    # On roll here but missing from the export: they have left. Never deleted: their records
    # (concerns, consent, AUPs) must outlive their time at the school.
    for mis_id, pupil in existing.items():
        if mis_id not in pupil_of_row and pupil.left_date is None:
            pupil.left_date = max(today, pupil.on_roll_date or today)
            pupil.updated_at = now
            changed.append(pupil)
            changed_fields.add("left_date")
            counts["left"] += 1
            entries.append(Entry("pupil.left", pupil, f"MIS {mis_id}: not in the roster file"))

    Pupil.objects.bulk_create(created, batch_size=BATCH)
    _ensure_pks(created, Pupil, school, "mis_id")
    bulk_update_rows(Pupil, changed, [*sorted(changed_fields), "updated_at"])

    guardian_counts: dict = {}
    if checked.has_guardians:
        guardian_counts, guardian_entries = _apply_guardians(
            school=school, rows=checked.rows, pupil_of_row=pupil_of_row, now=now
        )
        entries += guardian_entries
    return {**counts, **guardian_counts}, entries


def _apply_guardians(
    *, school: School, rows: list[PupilRow], pupil_of_row: dict[str, Pupil], now
) -> tuple[dict, list[Entry]]:
    parents = _parents_by_email(school)
    existing: dict[int, list[Guardian]] = {}
    for g in Guardian.objects.filter(pupil__school=school).order_by("id"):
        existing.setdefault(g.pupil_id, []).append(g)

    counts = dict.fromkeys(
        ("guardians_added", "guardians_updated", "guardians_removed", "guardians_linked"), 0
    )
    entries: list[Entry] = []
    created: list[Guardian] = []
    changed: list[Guardian] = []
    removed: list[Guardian] = []
    for row in rows:
        pupil = pupil_of_row[row.mis_id]
        about = f"for pupil MIS {row.mis_id}"
        mine: dict[str, Guardian] = {}
        for g in existing.get(pupil.pk, []):
            # Emails saved before they were lower-cased could clash: the later one goes.
            mine.setdefault(g.email.lower(), g)
        listed = {g.email for g in row.guardians}
        for g in existing.get(pupil.pk, []):
            if g.email.lower() not in listed or mine[g.email.lower()] is not g:
                # No longer listed for the pupil: MIS contact data that the MIS has dropped,
                # not a safeguarding record, so it goes; the audit trail keeps the fact.
                removed.append(g)
                entries.append(Entry("guardian.removed", g, f"{about}: not in the roster file"))
        for g in row.guardians:
            user_id = parents.get(g.email)
            current = mine.get(g.email)
            if current is None:
                guardian = Guardian(
                    pupil=pupil,
                    email=g.email,
                    full_name=g.full_name,
                    relationship=g.relationship,
                    parental_responsibility=g.parental_responsibility,
                    user_id=user_id,
                )
                created.append(guardian)
                counts["guardians_added"] += 1
                counts["guardians_linked"] += user_id is not None
                linked = ", linked to their parent account" if user_id else ""
                entries.append(Entry("guardian.added", guardian, about + linked))
                continue
            diff = [f for f in GUARDIAN_FIELDS if getattr(current, f) != getattr(g, f)]
            for f in diff:
                setattr(current, f, getattr(g, f))
            # Link a parent who has accepted an invitation; never unlink one here (a parent
            # who changed their sign-in email keeps their children).
            if current.user_id is None and user_id is not None:
                diff.append("user")
                current.user_id = user_id
                counts["guardians_linked"] += 1
            if diff:
                current.updated_at = now
                changed.append(current)
                counts["guardians_updated"] += 1
                entries.append(Entry("guardian.updated", current, f"{about}: {', '.join(diff)}"))
    counts["guardians_removed"] = len(removed)

    Guardian.objects.bulk_create(created, batch_size=BATCH)
    bulk_update_rows(Guardian, changed, [*GUARDIAN_FIELDS, "user", "updated_at"])
    ids = [g.pk for g in removed]
    for i in range(0, len(ids), BATCH):
        Guardian.objects.filter(pk__in=ids[i : i + BATCH]).delete()
    return counts, entries


# ---------------------------------------------------------------------------------------------
# The services the view and the task call.


def _hand_off(roster_import_id: int) -> None:
    from esafety.notify import dispatch
    from esafety.people import tasks

    dispatch.enqueue(tasks.run_roster_import, roster_import_id)


@transaction.atomic
def roster_import_start(*, actor: User, school: School, upload: UploadedFile) -> RosterImport:
    """Store an uploaded roster and hand it to a worker once the upload is committed.

    The request never waits on the broker: if the hand-off fails, the beat sweep starts it.
    """
    roster_import = RosterImport(
        school=school, uploaded_by=actor, original_name=Path(upload.name or "").name[:255]
    )
    # Stored under the import's code, not the office's file name, which may name a class.
    roster_import.file.save(f"{roster_import.code}.csv", upload, save=False)
    roster_import.full_clean()
    roster_import.save()
    audit_record(
        actor=actor,
        school=school,
        action="roster.uploaded",
        obj=roster_import,
        summary=f"{upload.size} bytes",
    )
    transaction.on_commit(lambda: _hand_off(roster_import.pk))
    return roster_import


def roster_import_claim(*, roster_import_id: int) -> bool:
    """Claim an import for this worker; only one caller ever wins."""
    now = timezone.now()
    stale = Q(
        status__in=[RosterImport.Status.CHECKING, RosterImport.Status.IMPORTING],
        started_at__lt=now - CLAIM_TIMEOUT,
    )
    claimed = (
        RosterImport.objects.filter(pk=roster_import_id)
        .filter(Q(status=RosterImport.Status.PENDING) | stale)
        .update(
            status=RosterImport.Status.CHECKING,
            started_at=now,
            processed_rows=0,
            errors=[],
            updated_at=now,
        )
    )
    return claimed == 1


def _progress(roster_import_id: int, **fields) -> None:
    # Saved outside the import's transaction so that the progress page can read it.
    RosterImport.objects.filter(pk=roster_import_id).update(**fields, updated_at=timezone.now())


def _problems_name(roster_import: RosterImport) -> str:
    return f"rosters/{roster_import.code}-problems.jsonl"


def _finish_failed(roster_import: RosterImport, problems: Problems) -> None:
    # The page shows the first SHOWN from the import's row; when there are more, all of them are
    # kept in a file beside it for the download, never as one unbounded JSON value.
    storage = roster_import.file.storage
    name = _problems_name(roster_import)
    storage.delete(name)  # left by a worker that died after saving it: save would pick a new name
    spooled = problems.spooled()
    if spooled is not None:
        storage.save(name, spooled)
    problems.close()
    with transaction.atomic():
        _progress(
            roster_import.pk,
            status=RosterImport.Status.FAILED,
            errors=problems.first,
            summary={"problems": problems.count, "lines": problems.lines},
            finished_at=timezone.now(),
        )
        audit_record(
            actor=roster_import.uploaded_by,
            school=roster_import.school,
            action="roster.rejected",
            obj=roster_import,
            summary=f"{problems.count} problem(s) on {problems.lines} line(s); nothing imported",
        )


def roster_problem_count(roster_import: RosterImport) -> int:
    # An import checked before the count was kept has every problem in errors.
    return roster_import.summary.get("problems", len(roster_import.errors))


def roster_problems(roster_import: RosterImport) -> Iterator[dict]:
    """Every problem of a failed import, in line order, read a line at a time."""
    if roster_problem_count(roster_import) <= len(roster_import.errors):
        yield from roster_import.errors
        return
    with roster_import.file.storage.open(_problems_name(roster_import), "rb") as f:
        for line in f:
            yield json.loads(line)


def roster_problems_exported(*, actor: User, roster_import: RosterImport) -> None:
    """The list quotes values from the file (MIS ids, emails): record who took a copy."""
    audit_record(
        actor=actor,
        school=roster_import.school,
        action="export.roster_problems",
        obj=roster_import,
        summary=f"{roster_problem_count(roster_import)} problem(s)",
    )


def _summary_text(summary: dict) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in summary.items() if isinstance(v, int))


def roster_import_run(*, roster_import_id: int) -> bool:
    """Check and import a stored roster; False if another worker has it or it is finished."""
    if not roster_import_claim(roster_import_id=roster_import_id):
        return False
    roster_import = RosterImport.objects.select_related("school", "uploaded_by").get(
        pk=roster_import_id
    )
    school = roster_import.school
    today = _school_today(school)
    try:
        with roster_import.file.open("rb") as f:
            data = f.read()
        checked = check_file(
            data,
            today=today,
            on_total=lambda n: _progress(roster_import_id, total_rows=n),
            on_progress=lambda n: _progress(roster_import_id, processed_rows=n),
        )
        if checked.problems.count:
            raise Rejected(checked.problems)
        _progress(roster_import_id, status=RosterImport.Status.IMPORTING)
        with transaction.atomic():
            summary, entries = apply_roster(
                school=school, actor=roster_import.uploaded_by, checked=checked, today=today
            )
            if checked.ignored_columns:
                summary["ignored_columns"] = checked.ignored_columns
            # Counts only: the import's own event never names a child.
            entries.append(Entry("roster.imported", roster_import, _summary_text(summary)))
            audit_record_many(actor=roster_import.uploaded_by, school=school, entries=entries)
            _progress(
                roster_import_id,
                status=RosterImport.Status.DONE,
                summary=summary,
                finished_at=timezone.now(),
            )
    except Rejected as e:
        _finish_failed(roster_import, e.problems)
    except Exception:
        logger.exception("roster import %s stopped", roster_import.code)
        unexpected = _problem(
            None,
            "The import stopped because of an unexpected error, and nothing was imported. "
            f"Try again; if it happens again, quote {roster_import.code}.",
        )
        _finish_failed(roster_import, Problems([unexpected]))
    _delete_file(roster_import)
    return True


def _delete_file(roster_import: RosterImport) -> None:
    # The file holds every pupil's details. Once read, what it says is in the database (or in
    # the list of errors), so keeping a second copy on disk only adds risk.
    name = roster_import.file.name
    if not name:
        return
    try:
        roster_import.file.storage.delete(name)
    except OSError:
        logger.warning("could not delete roster file %s", name, exc_info=True)
        return
    RosterImport.objects.filter(pk=roster_import.pk).update(file="")


def roster_imports_to_sweep() -> list[int]:
    """Imports whose hand-off to a worker was lost, or whose worker died."""
    now = timezone.now()
    return list(
        RosterImport.objects.filter(
            Q(status=RosterImport.Status.PENDING, created_at__lt=now - PENDING_TIMEOUT)
            | Q(
                status__in=[RosterImport.Status.CHECKING, RosterImport.Status.IMPORTING],
                started_at__lt=now - CLAIM_TIMEOUT,
            )
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
