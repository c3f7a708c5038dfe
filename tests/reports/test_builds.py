"""Long reports: built by a worker with their progress saved, kept, downloaded through the
access check with an audit event, and built once even when the task and the sweep both run."""

import datetime

import time_machine
from django.urls import reverse

from esafety.audit.models import AuditEvent
from esafety.reports import builds, selectors, tasks
from esafety.reports.models import ReportBuild
from esafety.reports.periods import custom
from tests.reports.conftest import at


def url(name, personas, *args) -> str:
    return reverse(f"reports:{name}", args=[personas.school.code, *args])


LONG = {"period": "custom", "start": "2024-09-01", "end": "2026-08-31"}


def test_a_period_over_a_year_is_built_in_the_background(personas, client_for, logged):
    logged("cyberbullying", at(2025, 9, 8), n=6)
    client = client_for(personas.governor)
    asked = client.get(url("pdf", personas) + "?period=custom&start=2024-09-01&end=2026-08-31")
    assert asked.status_code == 200
    assert b"built by the server" in asked.content
    assert not ReportBuild.objects.exists()  # a GET builds nothing

    response = client.post(url("build_new", personas), LONG)
    build = ReportBuild.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "build", personas, build.code
    )
    assert build.status == ReportBuild.Status.PENDING and build.requested_as == "Governor"
    progress = client.get(url("build_progress", personas, build.code)).json()
    assert progress == {
        "status": "pending",
        "status_label": "Waiting for a worker",
        "status_text": "Waiting for a worker…",
        "percent": 0,
        "finished": False,
    }
    assert client.get(url("build_pdf", personas, build.code)).status_code == 404

    assert tasks.build_report(build.pk) == 1
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.DONE and build.percent == 100
    # A step for each installed app's section, and one for the rendering.
    assert build.steps_done == build.steps_total == len(selectors.available_sections()) + 1
    page = client.get(url("build", personas, build.code))
    assert b"Download the PDF" in page.content
    pdf = client.get(url("build_pdf", personas, build.code))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert pdf["Content-Disposition"] == (
        'attachment; filename="governors-report-2024-09-01-to-2026-08-31.pdf"'
    )
    assert (
        AuditEvent.objects.filter(
            action="reports.pdf_downloaded", object_code=str(build.code)
        ).count()
        == 1
    )


def test_it_is_built_once_when_the_task_and_the_sweep_both_run(personas):
    build = builds.report_build_start(
        actor=personas.head,
        school=personas.school,
        period=custom(datetime.date(2024, 9, 1), datetime.date(2026, 8, 31)),
        requested_as="Headteacher",
    )
    assert tasks.build_report(build.pk) == 1
    assert tasks.build_report(build.pk) == 0
    with time_machine.travel(datetime.timedelta(minutes=20)):
        assert tasks.sweep_report_builds() == 0


def test_the_sweep_builds_a_report_whose_hand_off_was_lost(personas):
    build = builds.report_build_start(
        actor=personas.head,
        school=personas.school,
        period=custom(datetime.date(2024, 9, 1), datetime.date(2026, 8, 31)),
        requested_as="Headteacher",
    )
    assert tasks.sweep_report_builds() == 0  # too soon: the hand-off may still arrive
    with time_machine.travel(datetime.timedelta(minutes=2)):
        assert tasks.sweep_report_builds() == 1
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.DONE


def test_another_schools_build_is_not_found(personas, client_for):
    build = builds.report_build_start(
        actor=personas.head,
        school=personas.school,
        period=custom(datetime.date(2024, 9, 1), datetime.date(2026, 8, 31)),
        requested_as="Headteacher",
    )
    other = client_for(personas.other_dsl)
    other_url = reverse("reports:build", args=[personas.other_school.code, build.code])
    assert other.get(other_url).status_code == 404
