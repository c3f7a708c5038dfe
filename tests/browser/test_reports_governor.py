"""A governor signs in, opens the governors' report from the menu, reads this term's figures
(small counts hidden, no names) and downloads the PDF, which is audited. Every page is checked
by axe (see harness.py)."""

import pytest
from playwright.sync_api import expect

from esafety.audit.models import AuditEvent
from tests.browser.harness import sign_in
from tests.factories import PASSWORD
from tests.reports.conftest import NAMES, at, concern_logger, make_pupils

pytestmark = pytest.mark.browser


def test_a_governor_reads_the_dashboard_and_downloads_the_pdf(
    open_visitor,
    personas,
    tmp_path,
):
    logged = concern_logger(personas, make_pupils(personas))
    logged("cyberbullying", at(2026, 9, 8), n=6)
    logged("nudes", at(2026, 10, 8), n=1)
    governor = open_visitor()
    page = governor.page
    sign_in(governor, personas.governor.email, PASSWORD)
    governor.follow(governor.menu("Governors' report", "School"))

    expect(page.get_by_role("heading", name="Governors' report", level=1)).to_be_visible()
    expect(page.get_by_test_id("period")).to_contain_text("Autumn term 2026/27")
    concerns = page.locator('[data-table="by_kind"]')
    expect(concerns.get_by_role("row", name="Sharing nudes or semi-nudes")).to_contain_text(
        "fewer than 5"
    )
    expect(concerns.get_by_role("row", name="Cyberbullying")).to_contain_text("withheld")
    expect(concerns.get_by_role("row", name="All concerns")).to_contain_text("7")
    for name in NAMES:
        expect(page.locator("main")).not_to_contain_text(name)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    saved = tmp_path / "report.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename.startswith("governors-report-2026-09-01")
    assert saved.read_bytes().startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="reports.pdf_downloaded", actor=personas.governor
    ).exists()
    # Chromium reports a navigation that became a download as an aborted request: that one
    # is the download itself; anything else is still a problem.
    aborted = f"request failed: {download.value.url} (net::ERR_ABORTED)"
    governor.problems = [p for p in governor.problems if p != aborted]
    governor.assert_no_problems("after the download")
