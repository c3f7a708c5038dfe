"""The governors' report's rows in the role × URL table (tests/access_table.py gathers them).

Governors (the chair among them), the head, the DSL and the online safety lead read the figures
and download the PDF; only the board chooses the sections. No URL here names a record.
"""

import datetime

from tests.access_table import DSL, GOVERNOR, HEAD, ONLINE_SAFETY_LEAD, Page, School

READERS = frozenset({GOVERNOR, HEAD, DSL, ONLINE_SAFETY_LEAD})
BUILD = {"code": "report_build"}

SCHOOL_PAGES: dict[str, School] = {
    "reports:dashboard": School(READERS),
    # With no period asked for, the current term's PDF.
    "reports:pdf": School(READERS),
    "reports:settings": School(frozenset({GOVERNOR})),
    "reports:audit175": School(READERS),
    # A long report built in the background: the request, its page, progress and PDF.
    "reports:build_new": School(READERS, method="POST"),
    "reports:build": School(READERS, objects=BUILD),
    "reports:build_progress": School(READERS, objects=BUILD),
    "reports:build_pdf": School(READERS, objects=BUILD),
}
# A trust's pages: nobody in the table leads a trust, so every signed-in persona gets 404 (as
# for a trust that does not exist); tests/reports/test_trust.py signs in a trust lead.
NO_TRUST = {"trust": "00000000-0000-4000-8000-000000000002"}
OTHER_PAGES: dict[str, Page] = {
    "reports:trust": Page(anonymous="login", signed_in=404, kwargs=NO_TRUST),
    "reports:trust_pdf": Page(anonymous="login", signed_in=404, kwargs=NO_TRUST),
}


def objects(school, office) -> dict[str, object]:
    """A report built and ready at `school`."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from esafety.reports.models import ReportBuild

    build = ReportBuild(
        school=school,
        requested_by=office,
        requested_as="Headteacher",
        start=datetime.date(2024, 9, 1),
        end=datetime.date(2026, 8, 31),
        label="1 September 2024 to 31 August 2026",
        kind="custom",
        status=ReportBuild.Status.DONE,
        finished_at=timezone.now(),
    )
    build.pdf.save(f"{build.code}.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    build.save()
    return {"report_build": build.code}
