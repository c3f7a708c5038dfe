"""A member of staff adds their induction with its certificate; the online safety lead checks it
and sees the matrix turn green; a governor sees the governors' rows and the staff as numbers.
Every page is checked by axe (see harness.py)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.harness import Visitor, sign_in, sign_out, totp_code
from tests.factories import PASSWORD, TEST_TOTP_SECRET
from training.models import TrainingRecord

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sign_in_with_code(visitor: Visitor, user) -> None:
    sign_in(visitor, user.email, PASSWORD)
    visitor.page.get_by_label("Code").fill(totp_code(TEST_TOTP_SECRET))
    visitor.submit(visitor.page.get_by_role("button", name="Sign in"))


def induction_cell(visitor: Visitor, user):
    # The first course column is the induction.
    return visitor.page.locator(f'tr[data-person="{user.code}"] td').first


def test_staff_upload_the_lead_verifies_and_governors_see_their_rows(open_visitor, personas):
    staff = open_visitor()
    page = staff.page
    sign_in(staff, personas.staff.email, PASSWORD)
    staff.follow(staff.menu("My training"))  # their only page in the School section
    expect(page.get_by_test_id("my-row")).to_contain_text("Not held")
    staff.follow(page.get_by_role("link", name="Add a training record"))
    page.get_by_label("Course").select_option(label="Safeguarding induction")
    day = timezone.localdate() - datetime.timedelta(days=2)
    page.get_by_label("Date completed").fill(day.isoformat())
    page.get_by_label("Provider").fill("Local authority safeguarding team")
    page.get_by_label("Certificate").set_input_files(
        {"name": "induction.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    staff.submit(page.get_by_role("button", name="Add the record"))
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text(
        "Record added"
    )
    expect(page.get_by_test_id("my-records")).to_contain_text("awaiting check")
    record = TrainingRecord.objects.get()
    assert record.certificate_type == "application/pdf"

    osl = open_visitor()
    page = osl.page
    sign_in_with_code(osl, personas.online_safety_lead)
    osl.follow(osl.menu("Training matrix", "School"))
    expect(induction_cell(osl, personas.staff)).to_contain_text("Not held")
    expect(induction_cell(osl, personas.staff)).to_contain_text("awaiting check")
    osl.follow(page.get_by_role("link", name="1 record to check"))
    osl.follow(page.get_by_role("link", name="Sam Staff: Safeguarding induction"))
    # The certificate opens (served through the access check; a PDF is a download).
    href = page.get_by_role("link", name="Open the certificate").get_attribute("href")
    response = page.request.get(osl.url(href))
    assert response.status == 200 and response.body() == PDF
    osl.submit(page.get_by_role("button", name="Verify this record"))
    expect(page.get_by_test_id("verified")).to_contain_text("Verified by Olu Safety")
    osl.follow(osl.menu("Training matrix", "School"))
    expect(induction_cell(osl, personas.staff)).to_contain_text("Valid")
    expect(induction_cell(osl, personas.office)).to_contain_text("Not held")
    sign_out(osl)

    governor = open_visitor()
    page = governor.page
    sign_in(governor, personas.governor.email, PASSWORD)
    governor.follow(governor.menu("Training matrix", "School"))
    matrix = page.get_by_test_id("matrix")
    expect(matrix).to_contain_text("Gita Governor")
    expect(matrix).to_contain_text("Chris Chair")
    expect(matrix).not_to_contain_text("Sam Staff")
    numbers = page.get_by_test_id("staff-numbers")
    expect(numbers.locator("tr", has_text="Safeguarding induction")).to_contain_text("1")
