"""Building roster files and running imports in tests."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from esafety.people.models import RosterImport
from esafety.people.roster.services import roster_import_run, roster_import_start

# A Wednesday in term, noon in London.
TODAY = datetime.datetime(2025, 10, 1, 11, 0, tzinfo=datetime.UTC)

COLUMNS = [
    "mis_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "year_group",
    "class",
    "sen",
    "looked_after",
    "cp_plan",
    "on_roll_date",
    "leaving_date",
    "guardian1_email",
    "guardian1_name",
    "guardian1_relationship",
    "guardian1_parental_responsibility",
    "guardian2_email",
    "guardian2_name",
    "guardian2_relationship",
    "guardian2_parental_responsibility",
]


def pupil(n: int, **overrides) -> dict:
    row = {
        "mis_id": f"A{n:04d}",
        "first_name": f"Ada{n}",
        "last_name": "Lovelace",
        "date_of_birth": "2015-03-14",
        "year_group": "Year 5",
        "class": "5B",
        "sen": "no",
        "looked_after": "no",
        "cp_plan": "no",
        "on_roll_date": "2021-09-01",
        "leaving_date": "",
        "guardian1_email": f"parent{n}@example.org",
        "guardian1_name": f"Parent {n}",
        "guardian1_relationship": "Mother",
        "guardian1_parental_responsibility": "yes",
        "guardian2_email": "",
        "guardian2_name": "",
        "guardian2_relationship": "",
        "guardian2_parental_responsibility": "",
    }
    row.update(overrides)
    return row


def roster_csv(rows: list[dict], columns: list[str] | None = None) -> bytes:
    columns = columns or COLUMNS
    lines = [",".join(columns)]
    lines += [",".join(str(row.get(c, "")) for c in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def upload(actor, school, data: bytes, name: str = "roster.csv") -> RosterImport:
    return roster_import_start(
        actor=actor, school=school, upload=SimpleUploadedFile(name, data, "text/csv")
    )


def run_import(actor, school, data: bytes) -> RosterImport:
    roster_import = upload(actor, school, data)
    roster_import_run(roster_import_id=roster_import.pk)
    roster_import.refresh_from_db()
    return roster_import
