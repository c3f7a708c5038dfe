"""The progress page in a real browser: progress.js polls, moves the bar and reloads when done,
under the production Content-Security-Policy, with axe run on every page."""

import pytest

from esafety.people.models import RosterImport
from tests.browser.harness import sign_in
from tests.factories import PASSWORD
from tests.people.roster_helpers import pupil, roster_csv

pytestmark = pytest.mark.browser


def test_it_shows_progress_and_then_the_result(personas, visitor, tmp_path):
    page = visitor.page
    sign_in(visitor, personas.office.email, PASSWORD)
    visitor.visit(f"/s/{personas.school.code}/roster/")
    roster_file = tmp_path / "pupils.csv"
    roster_file.write_bytes(roster_csv([pupil(1), pupil(2)]))
    page.get_by_label("CSV file from your MIS").set_input_files(roster_file)
    # The broker is switched off here (_no_broker), so the import waits for this test.
    visitor.submit(page.get_by_role("button", name="Upload and import"))
    roster_import = RosterImport.objects.get()
    assert visitor.path() == f"/s/{personas.school.code}/roster/{roster_import.code}/"
    assert page.get_by_role("link", name="Refresh").is_visible()

    # Quick single updates stand in for the worker: it is the page under test here.
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=RosterImport.Status.CHECKING, total_rows=2000, processed_rows=500
    )
    page.wait_for_function("() => document.querySelector('.progress-bar').style.width === '25%'")
    assert page.get_by_text("500 of 2000 rows checked").is_visible()
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "25"

    # progress.js reloads the page by itself once the import has finished.
    with page.expect_navigation():
        RosterImport.objects.filter(pk=roster_import.pk).update(
            status=RosterImport.Status.DONE, processed_rows=2000, summary={"created": 2000}
        )
    visitor.check()
    assert page.get_by_text("Imported.").is_visible()
    assert page.get_by_role("row", name="New pupils 2000").is_visible()
