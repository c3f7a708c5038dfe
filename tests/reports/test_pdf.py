"""The report as a PDF: downloaded by those who may, audited, its pages drawn (pdftoppm) with
the cover, contents and each chosen section, and no name of the demo school's people in its
text (pdftotext)."""

import datetime
import io
import re
import subprocess
from pathlib import Path

import time_machine
from django.core.management import call_command
from django.urls import reverse

from esafety.audit.models import AuditEvent
from esafety.people.models import Membership, Pupil, Role, School, User
from esafety.reports.services import report_settings_update
from tests.reports.conftest import NAMES, at


def pdf_url(school, **query) -> str:
    url = reverse("reports:pdf", args=[school.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pages_of(pdf: bytes, tmp_path: Path) -> list[Path]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    return sorted(tmp_path.glob("page-*.png"))


def test_a_governor_downloads_the_terms_pdf_and_the_download_is_audited(
    personas, client_for, logged, tmp_path
):
    logged("cyberbullying", at(2026, 9, 8), n=6)
    logged("nudes", at(2026, 10, 8), n=1)
    with time_machine.travel(at(2026, 11, 20), tick=False):
        response = client_for(personas.governor).get(
            pdf_url(personas.school, period="term:2026-09-01")
        )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="governors-report-2026-09-01-to-2026-12-31.pdf"'
    )
    event = AuditEvent.objects.get(action="reports.pdf_downloaded")
    assert event.actor == personas.governor and event.school == personas.school
    assert event.summary == "Governors' report PDF: Autumn term 2026/27"

    text = text_of(response.content, tmp_path)
    assert "OFFICIAL-SENSITIVE" in text
    assert "Oakfield Primary" in text
    assert "Autumn term 2026/27" in text and "Summer term 2025/26" in text
    assert "Generated" in text and "20 November 2026" in text
    assert "Governor" in text and personas.governor.full_name not in text
    assert "fewer than 5" in text and "withheld" in text
    for name in NAMES:
        assert name not in text
    assert "Unkind messages" not in text and "upset" not in text


def test_the_pages_hold_the_cover_the_contents_and_each_chosen_section(
    personas, client_for, logged, publish_policy, tmp_path
):
    logged("cyberbullying", at(2026, 9, 8), n=6)
    publish_policy()
    with time_machine.travel(at(2026, 11, 20), tick=False):
        pdf = client_for(personas.head).get(pdf_url(personas.school)).content
    pages = pages_of(pdf, tmp_path)
    text = text_of(pdf, tmp_path).split("\f")[: len(pages)]
    # Cover, contents, then each section from a new page.
    assert len(pages) == len(text) >= 4
    assert all(p.stat().st_size > 1000 for p in pages)  # drawn, not blank
    assert "Online safety and safeguarding" in text[0] and "Generated" in text[0]
    assert "Contents" in text[1]
    policies_page = next(i for i, t in enumerate(text) if i > 1 and "AUP acceptance" in t)
    concerns_page = next(i for i, t in enumerate(text) if "Concerns by category and 4C" in t)
    assert "Policies and acceptable use" in text[policies_page]
    assert "Staff AUP" in text[policies_page]
    assert "Online-safety concerns" in text[concerns_page]
    assert 1 < policies_page < concerns_page
    # The contents give each section's page.
    assert re.search(rf"Policies and acceptable use[ .]+{policies_page + 1}\b", text[1])
    assert re.search(rf"Online-safety concerns[ .]+{concerns_page + 1}\b", text[1])
    for number, page in enumerate(text, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "OFFICIAL-SENSITIVE" in page


def test_the_board_leaves_a_section_out(personas, client_for, logged, tmp_path):
    logged("cyberbullying", at(2026, 9, 8), n=6)
    report_settings_update(
        actor=personas.chair, school=personas.school, sections=["policies.status"], threshold=4
    )
    pdf = client_for(personas.dsl).get(pdf_url(personas.school)).content
    text = text_of(pdf, tmp_path)
    assert "Policies and acceptable use" in text
    assert "Online-safety concerns" not in text and "Concerns by category" not in text


def test_a_bad_period_is_refused_with_a_message_and_nothing_downloaded(personas, client_for):
    client = client_for(personas.governor)
    backwards = client.get(
        pdf_url(personas.school, period="custom", start="2026-10-01", end="2026-09-01")
    )
    assert backwards.status_code == 400
    assert "The end must be on or after the start." in backwards.content.decode()
    missing = client.get(pdf_url(personas.school, period="custom", start="2026-10-01"))
    assert "Give both dates" in missing.content.decode()
    unknown = client.get(pdf_url(personas.school, period="term:1999-01-01"))
    assert unknown.status_code == 400
    assert not AuditEvent.objects.filter(action="reports.pdf_downloaded").exists()


def test_any_two_dates(personas, client_for, logged, tmp_path):
    logged("cyberbullying", at(2026, 9, 8), n=6)
    logged("cyberbullying", at(2026, 8, 20), n=5)  # in the 30 days before
    pdf = (
        client_for(personas.online_safety_lead)
        .get(pdf_url(personas.school, period="custom", start="2026-09-01", end="2026-09-30"))
        .content
    )
    text = text_of(pdf, tmp_path)
    assert "1 September 2026 to 30 September 2026" in text
    assert "2 August 2026 to 31 August 2026" in text
    assert re.search(r"Cyberbullying\s+6\s+5", text)


def test_the_demo_schools_year_names_nobody(db, client, tmp_path):
    call_command("seed_demo", "--pupils", "40", stdout=io.StringIO())
    school = School.objects.get(urn="999001")
    governor = (
        Membership.objects.filter(school=school, role=Role.GOVERNOR).select_related("user").first()
    ).user
    client.force_login(governor, backend="django.contrib.auth.backends.ModelBackend")
    today = datetime.date.today()
    year = today.year if today.month >= 9 else today.year - 1
    response = client.get(pdf_url(school, period=f"year:{year}-09-01"))
    assert response.status_code == 200
    text = text_of(response.content, tmp_path)
    assert "Online-safety concerns" in text
    words = set(re.findall(r"[A-Za-z'’-]+", text))
    names = set()
    for first, last in Pupil.objects.filter(school=school).values_list("first_name", "last_name"):
        names |= {first, last}
    for full_name in User.objects.filter(memberships__school=school).values_list(
        "full_name", flat=True
    ):
        names |= set(full_name.split())
    assert names and not (names & words), sorted(names & words)
