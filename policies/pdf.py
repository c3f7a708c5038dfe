"""A policy version as a PDF (WeasyPrint), for the school's files, its website and governors.

The body goes in only through the sanitiser, as on screen. WeasyPrint would fetch whatever a
document points at (images, stylesheets, fonts): a policy body comes from staff and the PDF is
rendered on our server, so nothing is fetched at all. The stylesheet is read from our own static
files by path, never by URL.
"""

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from policies.models import PolicyVersion, VersionStatus
from policies.rendering import render_markdown

STYLESHEET = "css/pdf.css"


class RemoteResourceRefused(ValueError):
    pass


class NoFetching(URLFetcher):
    """WeasyPrint's url_fetcher: a PDF made on our server loads nothing from anywhere (no
    tracking pixel, no request to an internal address, no file from our disk)."""

    def fetch(self, url: str, headers: dict | None = None):
        raise RemoteResourceRefused(f"policy PDFs load no resources: {url[:100]}")


def _stylesheet() -> CSS:
    path = finders.find(STYLESHEET)
    if not path:
        raise FileNotFoundError(STYLESHEET)
    return CSS(filename=path, url_fetcher=NoFetching())


def version_html(*, version: PolicyVersion) -> str:
    policy = version.policy
    published_on = timezone.localtime(version.published_at).date() if version.published_at else None
    return render_to_string(
        "policies/pdf/version.html",
        {
            "school": policy.school,
            "policy": policy,
            "version": version,
            "body": render_markdown(version.body),
            "published_on": published_on,
            "in_force": version.status == VersionStatus.PUBLISHED,
            "generated_on": timezone.localdate(),
        },
    )


def version_pdf(*, version: PolicyVersion) -> bytes:
    document = HTML(string=version_html(version=version), url_fetcher=NoFetching(), base_url=None)
    return document.write_pdf(stylesheets=[_stylesheet()])


def pdf_filename(version: PolicyVersion) -> str:
    return f"{slugify(version.policy.title) or 'policy'}-v{slugify(version.number)}.pdf"


def pdf_response(version: PolicyVersion, disposition: str = "attachment") -> HttpResponse:
    response = HttpResponse(version_pdf(version=version), content_type="application/pdf")
    response["Content-Disposition"] = f'{disposition}; filename="{pdf_filename(version)}"'
    return response
