"""Consent figures for governors and the head: counts only, never names.

Coverage per purpose over the pupils on roll (granted, refused, no decision); take-downs open
and done and the median time to removal. A median from fewer than five is not given (official
statistics' disclosure control: DOMAIN.md)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from consent.coverage import coverage_counts
from consent.models import Purpose, TakeDown
from consent.selectors import purposes_of, renew_year, settings_of
from esafety.people.models import Pupil, School

SMALL = 5


@dataclass(frozen=True)
class Coverage:
    purpose: str
    basis: str
    granted: int
    alone_only: int
    refused: int
    no_decision: int


def school_coverage(
    *, school: School, today: datetime.date
) -> tuple[list[Purpose], dict[int, dict[str, int]]]:
    """The school's purposes and each one's coverage on `today`, by the school's own settings
    (age of own decision, renewal): what the figures page and the report section both show."""
    purposes = list(purposes_of(school=school))
    settings = settings_of(school=school)
    counts = coverage_counts(
        school=school,
        purposes=purposes,
        today=today,
        own_age=settings.own_decision_age,
        renew_year=renew_year(settings=settings, school=school, today=today),
    )
    return purposes, counts


def figures(*, school: School, today: datetime.date | None = None) -> dict:
    """The figures in a fixed number of queries whatever the school's size or history: the
    coverage counted in the database (consent/coverage.py, the rules of consent/rules.py), the
    take-downs by one aggregate and the median by the one or two middle rows."""
    today = today or timezone.localdate()
    purposes, counts = school_coverage(school=school, today=today)
    coverage = [
        Coverage(purpose.label, purpose.get_lawful_basis_display(), **counts[purpose.pk])
        for purpose in purposes
    ]
    takedowns = TakeDown.objects.filter(school=school).aggregate(
        open=Count("id", filter=Q(closed_at__isnull=True)),
        done=Count("id", filter=Q(closed_at__isnull=False)),
    )
    return {
        "pupils": Pupil.objects.filter(school=school, left_date__isnull=True).count(),
        "coverage": coverage,
        "takedowns_open": takedowns["open"],
        "takedowns_done": takedowns["done"],
        "median_hours_to_removal": _median_hours(school=school, done=takedowns["done"]),
    }


def _median_hours(*, school: School, done: int) -> float | None:
    """The median time from opening to closing, in hours, from the middle one or two rows in
    the database's order (statistics.median's answer, without reading every take-down)."""
    if done < SMALL:
        return None
    middle = (done - 1) // 2
    took = list(
        TakeDown.objects.filter(school=school, closed_at__isnull=False)
        .annotate(took=ExpressionWrapper(F("closed_at") - F("opened_at"), DurationField()))
        .order_by("took", "id")
        .values_list("took", flat=True)[middle : middle + (1 if done % 2 else 2)]
    )
    hours: list[float] = [t.total_seconds() / 3600 for t in took]
    return round(sum(hours) / len(hours), 1)
