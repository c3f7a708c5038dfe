"""Incidents' section of the governors' figures: counts only, never a name or a narrative."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils import timezone

from esafety.people.models import School
from incidents.categories import Category, FourC
from incidents.models import Agency, Concern, Referral, Status


@dataclass(frozen=True)
class IncidentFigures:
    start: datetime.date
    end: datetime.date
    total: int
    by_category: dict[str, int] = field(default_factory=dict)
    by_four_c: dict[str, int] = field(default_factory=dict)
    by_month: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    referrals_by_agency: dict[str, int] = field(default_factory=dict)
    decisions_not_to_refer: int = 0
    median_minutes_to_acknowledge: float | None = None
    open_at_end: int = 0


def figures(*, school: School, start: datetime.date, end: datetime.date) -> IncidentFigures:
    """Concerns logged from start to end inclusive (dates in the server's time zone)."""
    logged = Concern.objects.filter(
        school=school, created_at__date__gte=start, created_at__date__lte=end
    )

    def counts(field_name: str, labels) -> dict[str, int]:
        rows = dict(logged.values_list(field_name).annotate(n=Count("id")).order_by())
        return {label: rows.get(value, 0) for value, label in labels}

    by_month = {
        month.strftime("%Y-%m"): n
        for month, n in logged.annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by("month")
    }
    referrals = Referral.objects.filter(
        concern__school=school, recorded_at__date__gte=start, recorded_at__date__lte=end
    )
    referred = dict(
        referrals.filter(referred=True).values_list("agency").annotate(n=Count("id")).order_by()
    )
    waits = [
        (d.total_seconds() / 60)
        for d in logged.filter(acknowledged_at__isnull=False)
        .annotate(wait=F("acknowledged_at") - F("created_at"))
        .values_list("wait", flat=True)
    ]
    end_of_period = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    open_at_end = (
        Concern.objects.filter(school=school, created_at__lt=end_of_period)
        .exclude(closed_at__lt=end_of_period)
        .count()
    )
    return IncidentFigures(
        start=start,
        end=end,
        total=logged.count(),
        by_category=counts("category", Category.choices),
        by_four_c=counts("four_c", FourC.choices),
        by_month=by_month,
        by_status=counts("status", Status.choices),
        referrals_by_agency={label: referred.get(v, 0) for v, label in Agency.choices},
        decisions_not_to_refer=referrals.filter(referred=False).count(),
        median_minutes_to_acknowledge=round(statistics.median(waits), 1) if waits else None,
        open_at_end=open_at_end,
    )
