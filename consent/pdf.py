"""The do-not-photograph list as a PDF (WeasyPrint), generated on demand and never stored:
names only, marked confidential, every print audited. Nothing is fetched while rendering."""

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from consent.models import Purpose
from consent.selectors import Register
from consent.services.exports import list_printed
from esafety.people.access import SchoolAccess

STYLESHEET = "css/pdf.css"


class NoFetching(URLFetcher):
    def fetch(self, url: str, headers: dict | None = None):
        raise ValueError(f"consent PDFs load no resources: {url[:100]}")


def list_html(*, access: SchoolAccess, purpose: Purpose, register: Register) -> str:
    return render_to_string(
        "consent/pdf/list.html",
        {
            "school": access.school,
            "purpose": purpose,
            "may_not": [p for p, _s in register.may_not],
            "alone_only": register.alone_only,
            "generated_at": timezone.localtime(),
            "generated_by": access.user,
        },
    )


def list_pdf(*, access: SchoolAccess, purpose: Purpose, register: Register) -> bytes:
    html = list_html(access=access, purpose=purpose, register=register)
    path = finders.find(STYLESHEET)
    sheets = [CSS(filename=path, url_fetcher=NoFetching())] if path else []
    document = HTML(string=html, url_fetcher=NoFetching(), base_url=None)
    return document.write_pdf(stylesheets=sheets)


def list_pdf_response(
    *, access: SchoolAccess, purpose: Purpose, register: Register, group: int
) -> HttpResponse:
    data = list_pdf(access=access, purpose=purpose, register=register)
    list_printed(actor=access.user, purpose=purpose, pupils=group)
    response = HttpResponse(data, content_type="application/pdf")
    # The file name says what it is, never whom it names.
    response["Content-Disposition"] = 'attachment; filename="do-not-photograph.pdf"'
    response["Cache-Control"] = "no-store"
    return response
