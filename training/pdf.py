"""The matrix as a PDF (WeasyPrint), for the school's files and the governors.

Nothing is fetched while rendering (as policies' PDFs): the stylesheet is read from our own
static files by path, and any other resource is refused.
"""

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

STYLESHEET = "training/matrix-pdf.css"


class NoFetching(URLFetcher):
    def fetch(self, url: str, headers: dict | None = None):
        raise ValueError(f"training PDFs load no resources: {url[:100]}")


def matrix_pdf_response(*, school, matrix, rows, staff_numbers, filters) -> HttpResponse:
    html = render_to_string(
        "training/pdf/matrix.html",
        {
            "school": school,
            "matrix": matrix,
            "rows": rows,
            "staff_numbers": staff_numbers,
            "filters": filters,
            "generated_on": timezone.localdate(),
        },
    )
    path = finders.find(STYLESHEET)
    if not path:
        raise FileNotFoundError(STYLESHEET)
    pdf = HTML(string=html, url_fetcher=NoFetching(), base_url=None).write_pdf(
        stylesheets=[CSS(filename=path, url_fetcher=NoFetching())]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="training-matrix-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    return response
