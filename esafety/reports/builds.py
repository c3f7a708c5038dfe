"""Long reports, built by a worker with their progress saved as they go, and kept for
download. The request never waits on the broker: a build whose hand-off was lost is started by
the beat sweep; a worker that died mid-build is taken over once its claim is stale."""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from esafety.audit.services import audit_record
from esafety.people.models import School, User
from esafety.reports import selectors
from esafety.reports.models import ReportBuild
from esafety.reports.pdf import file_name, report_pdf
from esafety.reports.periods import Period

logger = logging.getLogger(__name__)

# Longer than the task's time limit: a claim this old belongs to a worker that died.
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
PENDING_TIMEOUT = datetime.timedelta(minutes=1)
# A report over more than a year is built in the background; a term or a year is made at once.
LONG_DAYS = 366


def is_long(period: Period) -> bool:
    return period.days > LONG_DAYS


def hand_off(build_id: int) -> None:
    from esafety.notify import dispatch
    from esafety.reports import tasks

    dispatch.enqueue(tasks.build_report, build_id)


@transaction.atomic
def report_build_start(
    *, actor: User, school: School, period: Period, requested_as: str
) -> ReportBuild:
    build = ReportBuild(
        school=school,
        requested_by=actor,
        requested_as=requested_as,
        start=period.start,
        end=period.end,
        label=period.label,
        kind=period.kind,
    )
    build.full_clean()
    build.save()
    audit_record(
        actor=actor,
        school=school,
        action="reports.build_requested",
        obj=build,
        summary=f"Governors' report PDF: {period.label}",
    )
    transaction.on_commit(lambda: hand_off(build.pk))
    return build


def report_build_claim(*, build_id: int) -> bool:
    now = timezone.now()
    stale = Q(status=ReportBuild.Status.BUILDING, started_at__lt=now - CLAIM_TIMEOUT)
    claimed = (
        ReportBuild.objects.filter(pk=build_id)
        .filter(Q(status=ReportBuild.Status.PENDING) | stale)
        .update(status=ReportBuild.Status.BUILDING, started_at=now, steps_done=0, updated_at=now)
    )
    return claimed == 1


def report_build_run(*, build_id: int) -> int:
    """Build one claimed report; 1 if this call built it, 0 if another worker has it."""
    if not report_build_claim(build_id=build_id):
        return 0
    build = ReportBuild.objects.select_related("school").get(pk=build_id)
    period = Period(build.start, build.end, build.label, build.kind)

    def progress(done: int, total: int) -> None:
        # Saved at once (no transaction holds it) so the progress page can read it; one more
        # step is the rendering.
        ReportBuild.objects.filter(pk=build_id).update(
            steps_done=done, steps_total=total + 1, updated_at=timezone.now()
        )

    try:
        report = selectors.report_for(school=build.school, period=period, progress=progress)
        pdf = report_pdf(report=report, generated_by=build.requested_as)
    except Exception:
        logger.exception("report build %s failed", build.pk)
        ReportBuild.objects.filter(pk=build_id).update(
            status=ReportBuild.Status.FAILED, finished_at=timezone.now()
        )
        return 0
    with transaction.atomic():
        build.pdf.save(f"{build.code}.pdf", ContentFile(pdf), save=False)
        ReportBuild.objects.filter(pk=build_id).update(
            pdf=build.pdf.name,
            status=ReportBuild.Status.DONE,
            steps_done=F("steps_total"),
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    return 1


def builds_to_sweep() -> list[int]:
    now = timezone.now()
    return list(
        ReportBuild.objects.filter(
            Q(status=ReportBuild.Status.PENDING, created_at__lt=now - PENDING_TIMEOUT)
            | Q(status=ReportBuild.Status.BUILDING, started_at__lt=now - CLAIM_TIMEOUT)
        ).values_list("pk", flat=True)[:50]
    )


def report_build_download_record(*, actor: User, build: ReportBuild) -> None:
    audit_record(
        actor=actor,
        school=build.school,
        action="reports.pdf_downloaded",
        obj=build,
        summary=f"Governors' report PDF: {build.label}",
    )


def build_file_name(build: ReportBuild) -> str:
    return file_name(Period(build.start, build.end, build.label, build.kind))
