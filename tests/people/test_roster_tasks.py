import datetime

import pytest
import time_machine
from django.utils import timezone

from esafety.audit.models import AuditEvent
from esafety.people import tasks
from esafety.people.models import Guardian, Pupil, RosterImport
from tests.people.roster_helpers import TODAY, pupil, roster_csv, upload


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=True):
        yield


def test_it_does_the_work_once_when_the_task_runs_twice(personas):
    r = upload(personas.office, personas.school, roster_csv([pupil(1), pupil(2)]))

    assert tasks.run_roster_import(r.pk) is True
    assert tasks.run_roster_import(r.pk) is False

    r.refresh_from_db()
    assert r.status == RosterImport.Status.DONE
    assert Pupil.objects.count() == 2
    assert AuditEvent.objects.filter(action="pupil.created").count() == 2
    assert AuditEvent.objects.filter(action="roster.imported").count() == 1


def test_it_deletes_the_stored_file_once_read(personas):
    r = upload(personas.office, personas.school, roster_csv([pupil(1)]))
    storage, name = r.file.storage, r.file.name
    assert storage.exists(name)

    tasks.run_roster_import(r.pk)

    r.refresh_from_db()
    assert not storage.exists(name)
    assert r.file.name == ""


def test_it_sweeps_imports_whose_hand_off_was_lost(personas):
    lost = upload(personas.office, personas.school, roster_csv([pupil(1)]))
    RosterImport.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    # Just uploaded: its hand-off may still be on its way.
    fresh = upload(personas.office, personas.school, roster_csv([pupil(2)]))

    assert tasks.sweep_roster_imports() == 1

    assert RosterImport.objects.get(pk=lost.pk).status == RosterImport.Status.DONE
    assert RosterImport.objects.get(pk=fresh.pk).status == RosterImport.Status.PENDING
    assert tasks.sweep_roster_imports() == 0


def test_it_runs_again_an_import_whose_worker_died(personas):
    r = upload(personas.office, personas.school, roster_csv([pupil(1)]))
    started = timezone.now() - datetime.timedelta(minutes=5)
    RosterImport.objects.filter(pk=r.pk).update(
        status=RosterImport.Status.IMPORTING, started_at=started
    )

    # Five minutes in, its worker may still be running it.
    assert tasks.run_roster_import(r.pk) is False
    RosterImport.objects.filter(pk=r.pk).update(started_at=started - datetime.timedelta(minutes=20))
    assert tasks.sweep_roster_imports() == 1
    assert RosterImport.objects.get(pk=r.pk).status == RosterImport.Status.DONE


def test_it_fails_cleanly_on_an_unexpected_error(personas, monkeypatch):
    r = upload(personas.office, personas.school, roster_csv([pupil(1)]))

    def boom(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("esafety.people.roster.services.audit_record_many", boom)
    assert tasks.run_roster_import(r.pk) is True

    r.refresh_from_db()
    assert r.status == RosterImport.Status.FAILED
    assert "unexpected error" in r.errors[0]["message"]
    assert "disk on fire" not in r.errors[0]["message"]
    # The pupils written before the error were rolled back with it.
    assert not Pupil.objects.exists() and not Guardian.objects.exists()


def _import_queries(personas, django_assert_max_num_queries, rows: list[dict], bound: int) -> int:
    r = upload(personas.office, personas.school, roster_csv(rows))
    with django_assert_max_num_queries(bound) as captured:
        tasks.run_roster_import(r.pk)
    r.refresh_from_db()
    assert r.status == RosterImport.Status.DONE, r.errors
    return len(captured.captured_queries)


def _two_guardians(n: int) -> dict:
    return pupil(n, guardian2_email=f"second{n}@example.org", **{"class": f"C{n % 7}"})


# Bulk queries split into batches: 500 rows on PostgreSQL, but on SQLite as many rows as fit in
# 999 parameters (about 60 pupils), so there the count grows by one query per batch, never per row.
BOUND = 60


@pytest.mark.parametrize("step", ["first import", "re-import with changes and leavers"])
def test_it_imports_in_a_number_of_queries_that_does_not_grow_per_row(
    personas, django_assert_max_num_queries, step
):
    counts = []
    for size, school_urn in ((20, "200001"), (200, "200002")):
        from tests.factories import SchoolFactory

        personas.school = SchoolFactory(urn=school_urn)
        rows = [_two_guardians(n) for n in range(size)]
        if step != "first import":
            _import_queries(personas, django_assert_max_num_queries, rows, 10_000)
            # Everyone moves up a year, a tenth leave, a tenth join, second guardians change.
            rows = [
                _two_guardians(n) | {"year_group": "Year 6", "guardian2_name": "New"}
                for n in range(size // 10, size + size // 10)
            ]
        counts.append(_import_queries(personas, django_assert_max_num_queries, rows, BOUND))
    small, large = counts
    # Ten times the rows: a handful more batches at most, nowhere near 180 more queries.
    assert large - small <= 15, counts
