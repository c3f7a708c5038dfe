"""Incidents' sections of the governors' report (esafety/reports/shapes.py): counts of
concerns, referrals and the time to acknowledge, never a name or a narrative. The report adds
the totals and subtotals up itself and suppresses small counts; this module only counts.

Seven queries for a period, whatever the number of concerns.
"""

import datetime
import statistics

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from esafety.people.models import School
from esafety.reports.shapes import (
    AuditAnswer,
    CountTable,
    Median,
    Relation,
    ReportSection,
    Row,
    SectionFigures,
)
from incidents.categories import CATEGORIES, FourC
from incidents.models import Agency, Concern, Referral

CONCERNS = "concerns"  # the number logged in the period: one figure in four tables


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    month, months = start.replace(day=1), []
    while month <= end:
        months.append(month)
        month += relativedelta(months=1)
    return months


def concerns_section(*, school: School, start: datetime.date, end: datetime.date):
    since, until = _midnight(start), _midnight(end + datetime.timedelta(days=1))
    concerns = Concern.objects.filter(school=school)
    logged = concerns.filter(created_at__gte=since, created_at__lt=until)

    by_kind = {
        (four_c, category): n
        for four_c, category, n in logged.values_list("four_c", "category")
        .annotate(n=Count("id"))
        .order_by()
    }
    rows = []
    for four_c, four_c_label in FourC.choices:
        kinds = [c for c, info in CATEGORIES.items() if info.four_c == four_c]
        kinds += sorted({c for f, c in by_kind if f == four_c} - set(kinds))
        rows += [
            Row(
                CATEGORIES[c].category.label if c in CATEGORIES else c,
                (by_kind.get((four_c, c), 0),),
                group=four_c_label,
                keys=(f"kind:{four_c}:{c}",),
            )
            for c in kinds
        ]
    by_category = CountTable(
        key="by_kind",
        title="Concerns by category and 4C",
        columns=("Concerns",),
        rows=tuple(rows),
        group_subtotals=True,
        total_key=CONCERNS,
        total_label="All concerns",
        note="Each category is counted under its 4C (content, contact, conduct, commerce); "
        "the 4C rows are the subtotals.",
    )

    tz = timezone.get_current_timezone()
    per_month = {
        timezone.localtime(month, tz).date().replace(day=1) if month else None: n
        for month, n in logged.annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    by_month = CountTable(
        key="by_month",
        title="Concerns by month",
        columns=("Concerns",),
        rows=tuple(
            Row(f"{m:%b %Y}", (per_month.get(m, 0),), keys=(f"month:{i}",))
            for i, m in enumerate(_months(start, end))
        ),
        chart=True,
        total_key=CONCERNS,
        total_label="All concerns",
        note="Last period: the same month of the period before.",
    )

    counts = concerns.aggregate(
        open_start=Count("id", filter=Q(created_at__lt=since) & ~Q(closed_at__lt=since)),
        closed=Count("id", filter=Q(closed_at__gte=since, closed_at__lt=until)),
        open_end=Count("id", filter=Q(created_at__lt=until) & ~Q(closed_at__lt=until)),
    )
    open_closed = CountTable(
        key="open_closed",
        title="Open and closed",
        columns=("Concerns",),
        rows=(
            Row("Open at the start of the period", (counts["open_start"],), keys=("open_start",)),
            Row("Logged in the period", (logged.count(),), keys=(CONCERNS,)),
            Row("Closed in the period", (counts["closed"],), keys=("closed",)),
            Row("Open at the end of the period", (counts["open_end"],), keys=("open_end",)),
        ),
        column_totals=False,
    )

    referrals = Referral.objects.filter(
        concern__school=school, recorded_at__gte=since, recorded_at__lt=until
    )
    referred = dict(
        referrals.filter(referred=True).values_list("agency").annotate(n=Count("id")).order_by()
    )
    not_referred = referrals.filter(referred=False).count()
    decisions = CountTable(
        key="referrals",
        title="Referrals by agency and decisions not to refer",
        columns=("Decisions",),
        rows=(
            *(
                Row(label, (referred.get(value, 0),), group="Referred", keys=(f"agency:{value}",))
                for value, label in Agency.choices
            ),
            Row("Decided not to refer (reasons recorded)", (not_referred,), keys=("not_referred",)),
        ),
        group_subtotals=True,
        total_label="All decisions",
    )

    waits = [
        wait.total_seconds() / 60
        for wait in logged.filter(acknowledged_at__isnull=False)
        .annotate(wait=F("acknowledged_at") - F("created_at"))
        .values_list("wait", flat=True)
    ]
    acknowledge = Median(
        key="acknowledge",
        title="Median time to acknowledge a concern",
        value=round(statistics.median(waits), 1) if waits else None,
        n=len(waits),
        unit="minutes",
        n_label="concerns acknowledged",
    )
    return SectionFigures(
        tables=(by_category, by_month, open_closed, decisions),
        medians=(acknowledge,),
        relations=(
            # What was open at the end is what was open at the start, plus what was logged,
            # less what was closed; and the start of this period is the end of the last.
            Relation("open_end", ("open_start", CONCERNS), ("closed",)),
            Relation("open_start", ("prev:open_end",)),
        ),
        audit=(
            AuditAnswer("Online-safety concerns recorded", count_key=CONCERNS),
            AuditAnswer("Referrals to children's social care", count_key="agency:social_care"),
            AuditAnswer("Referrals to the police", count_key="agency:police"),
            AuditAnswer("Allegations referred to the LADO", count_key="agency:lado"),
            AuditAnswer("Recorded decisions not to refer", count_key="not_referred"),
            AuditAnswer("Concerns open at the end of the period", count_key="open_end"),
            AuditAnswer("Median time to acknowledge a concern", median_key="acknowledge"),
        ),
    )


SECTIONS = (ReportSection("incidents.concerns", "Online-safety concerns", concerns_section, 20),)
