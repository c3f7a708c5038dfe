"""The governors' report as a PDF (WeasyPrint), from one HTML template. Nothing is fetched
while rendering: the stylesheet is read from our static files by path, the charts are inline SVG,
and any other resource is refused."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from esafety.reports.periods import Period
from esafety.reports.selectors import Report

STYLESHEET = "reports/report.css"


class NoFetching(URLFetcher):
    def fetch(self, url: str, headers: dict | None = None):
        raise ValueError(f"the governors' report loads no resources: {url[:100]}")


def report_html(*, report: Report, generated_by: str) -> str:
    return render_to_string(
        "reports/report_pdf.html", {"report": report, "generated_by": generated_by}
    )


def report_pdf(*, report: Report, generated_by: str) -> bytes:
    path = finders.find(STYLESHEET)
    if not path:
        raise FileNotFoundError(STYLESHEET)
    html = report_html(report=report, generated_by=generated_by)
    return HTML(string=html, url_fetcher=NoFetching(), base_url=None).write_pdf(
        stylesheets=[CSS(filename=path, url_fetcher=NoFetching())]
    )


def file_name(period: Period) -> str:
    # The dates, never a figure.
    return f"governors-report-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.pdf"


def trust_report_pdf(*, report) -> bytes:
    path = finders.find(STYLESHEET)
    if not path:
        raise FileNotFoundError(STYLESHEET)
    html = render_to_string("reports/trust_pdf.html", {"report": report})
    return HTML(string=html, url_fetcher=NoFetching(), base_url=None).write_pdf(
        stylesheets=[CSS(filename=path, url_fetcher=NoFetching())]
    )
