"""The governors' report's rows in `make bench`: the dashboard a governor opens, and the PDF of
the academic year (the longest report a board asks for in the ordinary way)."""

from django.urls import reverse

from esafety.contributions import BenchPage
from esafety.people.models import Role


def _dashboard(bench) -> str:
    return reverse("reports:dashboard", args=[bench.school.code])


def _year_pdf(bench) -> str:
    from django.utils import timezone

    from esafety.reports import periods

    year = periods.year_of(bench.school, timezone.localdate())
    return reverse("reports:pdf", args=[bench.school.code]) + f"?period=year:{year.start:%Y-%m-%d}"


def pages() -> tuple[BenchPage, ...]:
    return (
        BenchPage("Governors' dashboard", Role.GOVERNOR, _dashboard),
        BenchPage("Governors' report PDF, the academic year", Role.GOVERNOR, _year_pdf),
    )
