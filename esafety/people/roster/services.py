"""What the view and the task call: store an upload and hand it to a worker, claim it, check and
apply it, keep its problems, delete the file, and sweep up imports whose hand-off was lost."""

import datetime
import logging
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from esafety.audit.services import Entry, audit_record, audit_record_many
from esafety.people.models import RosterImport, School, User
from esafety.people.roster.apply import apply_roster
from esafety.people.roster.check import check_file
from esafety.people.roster.problems import (
    Problems,
    Rejected,
    problem,
    roster_problem_count,
    save_problems_file,
)

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died: the import's single write transaction
# was rolled back with it, so running it again is safe. Longer than the task's time limit.
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
# The hand-off to the worker is taken as lost once an import has waited this long.
PENDING_TIMEOUT = datetime.timedelta(minutes=1)


def _school_today(school: School) -> datetime.date:
    return timezone.localdate(timezone=ZoneInfo(school.timezone))


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


def _progress(roster_import_id: int, **fields: Any) -> None:
    # Saved outside the import's transaction so that the progress page can read it.
    RosterImport.objects.filter(pk=roster_import_id).update(**fields, updated_at=timezone.now())


def _finish_failed(roster_import: RosterImport, problems: Problems) -> None:
    # The page shows the first SHOWN from the import's row, the download every one.
    save_problems_file(roster_import, problems)
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
        unexpected = problem(
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
