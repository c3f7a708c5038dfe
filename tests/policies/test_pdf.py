"""Policy PDFs: the school, version, dates and the sanitised body; nothing fetched."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from policies import pdf
from policies.models import Audience
from policies.services.library import version_create

MALICIOUS = """# Staff acceptable use policy

I will keep my password to myself and lock my screen.

<script>document.write('INJECTED-BY-SCRIPT')</script>
<style>body { display: none }</style>
<img src="http://127.0.0.1:9/tracker.png" onerror="alert('INJECTED-BY-HANDLER')">
"""


def pdf_text(data: bytes, tmp_path: Path) -> str:
    # poppler-utils: .ci/run installs it, as it does Chromium for the browser tests.
    path = tmp_path / "policy.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_it_puts_the_school_version_dates_and_body_in_the_pdf(personas, publish, tmp_path):
    version = publish([Audience.STAFF], number="3", body=MALICIOUS)
    data = pdf.version_pdf(version=version)
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    assert "Oakfield Primary" in text
    assert "Staff AUP" in text
    assert "3" in text and "Published" in text
    assert f"{version.effective_date:%-d %B %Y}" in text
    assert f"{version.next_review_due:%-d %B %Y}" in text
    assert "Headteacher (Hal Head)" in text
    assert "I will keep my password to myself and lock my screen." in text
    assert "Page 1 of 1" in text


def test_it_leaves_out_script_style_and_handlers_from_a_malicious_body(personas, publish, tmp_path):
    version = publish([Audience.STAFF], body=MALICIOUS)
    html = pdf.version_html(version=version)
    assert "<script" not in html and "<style" not in html and "onerror" not in html
    text = pdf_text(pdf.version_pdf(version=version), tmp_path)
    assert "INJECTED" not in text and "document.write" not in text and "display: none" not in text


def test_it_marks_a_draft_as_not_in_force(personas, publish, tmp_path):
    policy = publish([Audience.STAFF]).policy
    draft = version_create(
        actor=personas.online_safety_lead, policy=policy, number="2", body="Next year's text."
    )
    text = pdf_text(pdf.version_pdf(version=draft), tmp_path)
    assert "Draft: not approved and not in force." in text
    assert "Next year's text." in text


def test_it_fetches_nothing_even_when_the_document_points_at_resources(
    personas, publish, monkeypatch
):
    asked = []

    def refuse(self, url, headers=None):
        asked.append(url)
        raise pdf.RemoteResourceRefused(url)

    monkeypatch.setattr(pdf.NoFetching, "fetch", refuse)
    # The sanitiser already drops images; this proves the renderer's own guard behind it.
    monkeypatch.setattr(
        pdf,
        "version_html",
        lambda version: (
            '<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" '
            'href="file:///etc/passwd"><p>Text</p>'
        ),
    )
    version = publish([Audience.STAFF])
    assert pdf.version_pdf(version=version).startswith(b"%PDF")
    assert set(asked) == {"http://127.0.0.1:9/x.png", "file:///etc/passwd"}
    with pytest.raises(pdf.RemoteResourceRefused):
        pdf.NoFetching()("https://example.com/")


def test_it_downloads_from_the_library(personas, client_for, publish):
    version = publish([Audience.STAFF])
    response = client_for(personas.deputy_dsl).get(
        reverse("policies:version_pdf", args=[personas.school.code, version.code])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="staff-aup-v1.pdf"'
    assert response.content.startswith(b"%PDF")
