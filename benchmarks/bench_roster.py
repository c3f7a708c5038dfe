"""Time the roster import for a large school: 2,000 pupils with 3,000 guardians.

    .venv/bin/python benchmarks/bench_roster.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/esafety \\
        .venv/bin/python benchmarks/bench_roster.py                  # PostgreSQL

It builds a throwaway database of its own (a temporary SQLite file, or the PostgreSQL database
test_esafety_bench_roster), never touches the development database, and hands nothing to the
broker. The timings are of the worker's side of the import (check the file, write it), which is
what a school waits for; the upload itself only stores the file.
"""

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esafety.settings")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

PUPILS = 2000
WITH_TWO_GUARDIANS = 1000  # 2,000 first guardians + 1,000 second ones = 3,000
PARENT_ACCOUNTS = 300
COLUMNS = (
    "mis_id,first_name,last_name,date_of_birth,year_group,class,sen,looked_after,cp_plan,"
    "on_roll_date,leaving_date,guardian1_email,guardian1_name,guardian1_relationship,"
    "guardian1_parental_responsibility,guardian2_email,guardian2_name,guardian2_relationship,"
    "guardian2_parental_responsibility"
)
FIRST = ["Amara", "Ben", "Chloe", "Dev", "Ellis", "Freya", "Gus", "Hana", "Idris", "Juno"]
LAST = ["Ashdown", "Brook", "Copse", "Dell", "Elmore", "Fenwick", "Glade", "Heath"]


def row(n: int, year_shift: int = 0, relationship: str = "Mother") -> str:
    year = 1 + n % 6 + year_shift
    second = f"carer{n}@example.org,Carer {n},Father,yes" if n < WITH_TWO_GUARDIANS else ",,,"
    return (
        f"M{n:05d},{FIRST[n % 10]},{LAST[n % 8]},{14 + n % 14:02d}/0{1 + n % 9}/{2019 - year},"
        f"Year {year},{year}{'ABCDEFGHIJ'[n % 10]},{'yes' if n % 9 == 0 else 'no'},"
        f"{'Y' if n % 50 == 0 else 'N'},no,2021-09-01,,parent{n}@example.org,Parent {n},"
        f"{relationship},yes,{second}"
    )


def roster(numbers, **kwargs) -> bytes:
    return ("\n".join([COLUMNS, *(row(n, **kwargs) for n in numbers)]) + "\n").encode()


def timed_import(actor, school, data: bytes, label: str) -> None:
    from esafety.people.models import RosterImport
    from esafety.people.roster.services import roster_import_run, roster_import_start

    r = roster_import_start(
        actor=actor, school=school, upload=SimpleUploadedFile("bench.csv", data)
    )
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        roster_import_run(roster_import_id=r.pk)
        seconds = time.perf_counter() - started
    r.refresh_from_db()
    if r.status != RosterImport.Status.DONE:
        raise SystemExit(f"{label}: {r.status} {r.errors[:5]}")
    s = r.summary
    print(
        f"  {label:<44} {seconds:6.2f} s  {len(queries):4d} queries  "
        f"(created {s['created']}, updated {s['updated']}, left {s['left']}, "
        f"guardians +{s['guardians_added']} ~{s['guardians_updated']} "
        f"-{s['guardians_removed']}, linked {s['guardians_linked']})"
    )


def bench() -> None:
    from esafety.notify import dispatch
    from esafety.people.models import Membership, Role, School, User

    dispatch.enqueue = lambda task, *args: False  # the benchmark runs the import itself
    school = School.objects.create(name="Bench Primary", urn="999999")
    office = User.objects.create_user("office@bench.test")
    Membership.objects.create(user=office, school=school, role=Role.OFFICE)
    parents = User.objects.bulk_create(
        User(email=f"parent{n}@example.org") for n in range(PARENT_ACCOUNTS)
    )
    Membership.objects.bulk_create(
        Membership(user=u, school=school, role=Role.PARENT)
        for u in User.objects.filter(email__in=[p.email for p in parents])
    )

    everyone = range(PUPILS)
    timed_import(office, school, roster(everyone), "first import (2,000 pupils, 3,000 guardians)")
    timed_import(office, school, roster(everyone), "the same file again")
    moved_on = range(200, PUPILS + 200)  # 200 leave, 200 join
    timed_import(
        office,
        school,
        roster(moved_on, year_shift=1, relationship="Parent"),
        "new year: all move up, 200 leave, 200 join",
    )


def main() -> None:
    db = connection.settings_dict
    db.setdefault("TEST", {})
    tmp = tempfile.TemporaryDirectory()
    if connection.vendor == "sqlite":
        # A file, as in real use, rather than the in-memory database Django tests use.
        db["TEST"]["NAME"] = str(Path(tmp.name) / "bench.sqlite3")
    else:
        db["TEST"]["NAME"] = "test_esafety_bench_roster"
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"roster import benchmark on {connection.vendor} ({datetime.date.today()})")
    try:
        with override_settings(MEDIA_ROOT=Path(tmp.name) / "private"):
            bench()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        tmp.cleanup()


if __name__ == "__main__":
    main()
