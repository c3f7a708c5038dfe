"""A device's chain of custody as a PDF a police officer can sign (WeasyPrint).

Nothing is fetched while it is made: no image, stylesheet or font from anywhere."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from devices.models import CustodyEvent, Device


class NoFetching(URLFetcher):
    def fetch(self, url: str, headers: dict | None = None):
        raise ValueError(f"custody PDFs load no resources: {url[:100]}")


def custody_html(*, device: Device, chain: list[CustodyEvent]) -> str:
    return render_to_string(
        "devices/pdf/custody.html",
        {"device": device, "chain": chain, "generated_at": timezone.localtime()},
    )


def custody_response(*, device: Device, chain: list[CustodyEvent]) -> HttpResponse:
    html = custody_html(device=device, chain=chain)
    data = HTML(string=html, url_fetcher=NoFetching(), base_url=None).write_pdf()
    response = HttpResponse(data, content_type="application/pdf")
    # The file name says what it is, never whose it is.
    response["Content-Disposition"] = f'attachment; filename="custody-{str(device.code)[:8]}.pdf"'
    return response
