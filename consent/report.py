"""Consent's section of the governors' report (esafety/reports/shapes.py): coverage per purpose
as it stands, take-downs opened, done and open in the period, and the median time to removal.
Counts only, never a name: the report adds the totals and suppresses the small counts itself.

The coverage is consent/coverage.py's count (the rules of consent/rules.py, in one query), the
same one the consent figures page prints, so the two never disagree.

Left out on purpose: how many pupils are marked "do not photograph". A marking stands for an
adopted or looked-after child, a court order, a child at risk of being found; the school has a
handful at most, so the count is nearly always one that the report would hide, and when it is
not, it still singles children out. Beside last period's figure it dates a marking to a term
("none last term, fewer than 5 now": the governor who knows which child joined, or was placed,
that term knows who). Set against the refusals per purpose (every marked pupil is refused on
every purpose) it tells marking apart from a parent's "no", which the coverage counts
deliberately never do. No suppression rule can mend that: the figure is not given at all.

Five queries for a period (four when none was done), whatever the number of pupils, decisions
or take-downs.
"""

import datetime

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from consent.compliance import school_coverage
from consent.models import TakeDown
from esafety.people.models import School
from esafety.reports.cells import median_n_key
from esafety.reports.shapes import (
    CountTable,
    Median,
    Relation,
    ReportSection,
    Row,
    SectionFigures,
)

COVERAGE_COLUMNS = ("granted", "alone_only", "refused", "no_decision")
OPEN_START, OPENED, DONE, OPEN_END = (
    "takedowns:open_start",
    "takedowns:opened",
    "takedowns:done",
    "takedowns:open_end",
)
MEDIAN = "takedown_hours"


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _median_hours(done: QuerySet[TakeDown], n: int) -> float | None:
    """The median time from opening to closing of these n take-downs, in hours, from the one or
    two middle rows in the database's order (statistics.median's answer, one query)."""
    if not n:
        return None
    middle = (n - 1) // 2
    took = list(
        done.annotate(took=ExpressionWrapper(F("closed_at") - F("opened_at"), DurationField()))
        .order_by("took", "id")
        .values_list("took", flat=True)[middle : middle + (1 if n % 2 else 2)]
    )
    hours = [float(t.total_seconds()) / 3600 for t in took]
    return round(sum(hours) / len(hours), 1)


def consent_section(*, school: School, start: datetime.date, end: datetime.date) -> SectionFigures:
    # Coverage: the pupils on roll as their consent stands today, as on the consent figures
    # page. consent/coverage.py counts today's roll and every decision recorded so far, so a
    # past period's end cannot be asked of it: the table says so rather than pass for it.
    purposes, counts = school_coverage(school=school, today=timezone.localdate())
    coverage = CountTable(
        key="coverage",
        title="Photo and video consent by purpose",
        columns=("Yes", "On their own only", "No", "No decision"),
        rows=tuple(
            Row(
                f"{p.label} ({p.get_lawful_basis_display().lower()})",
                tuple(counts[p.pk][c] for c in COVERAGE_COLUMNS),
                keys=tuple(f"coverage:{p.code}:{c}" for c in COVERAGE_COLUMNS),
            )
            for p in purposes
        ),
        row_totals=True,
        column_totals=False,
        percent_of_row=0,
        as_it_stands=True,
        note="Pupils on roll, as their consent stood on the day this report was made. On a "
        "consent purpose no decision means no; on a public-task or legitimate-interests "
        "purpose a pupil with no objection counts under Yes. No: refused, objected, or not to "
        "be photographed (never told apart).",
    )

    since, until = _midnight(start), _midnight(end + datetime.timedelta(days=1))
    takedowns = TakeDown.objects.filter(school=school)
    closed_in_period = Q(closed_at__gte=since, closed_at__lt=until)
    found = takedowns.aggregate(
        open_start=Count("id", filter=Q(opened_at__lt=since) & ~Q(closed_at__lt=since)),
        opened=Count("id", filter=Q(opened_at__gte=since, opened_at__lt=until)),
        done=Count("id", filter=closed_in_period),
        open_end=Count("id", filter=Q(opened_at__lt=until) & ~Q(closed_at__lt=until)),
    )
    table = CountTable(
        key="takedowns",
        title="Take-downs: a photo or video of a pupil that had to come down",
        columns=("Take-downs",),
        rows=(
            Row("Open at the start of the period", (found["open_start"],), keys=(OPEN_START,)),
            Row("Opened in the period", (found["opened"],), keys=(OPENED,)),
            Row("Done in the period", (found["done"],), keys=(DONE,)),
            Row("Open at the end of the period", (found["open_end"],), keys=(OPEN_END,)),
        ),
        column_totals=False,
        note="One for each use (a publication or a re-share) of each pupil whose consent was "
        "withdrawn. Done: removed, or recorded as not recallable (a printed newsletter).",
    )
    removal = Median(
        key=MEDIAN,
        title="Median time from a take-down opening to its being done",
        value=_median_hours(takedowns.filter(closed_in_period), found["done"]),
        n=found["done"],
        unit="hours",
        n_label="take-downs done",
    )
    return SectionFigures(
        tables=(coverage, table),
        medians=(removal,),
        relations=(
            # Open at the end is open at the start, plus opened, less done; the start of this
            # period is the end of the last; the median's n is the number done.
            Relation(OPEN_END, (OPEN_START, OPENED), (DONE,)),
            Relation(OPEN_START, ("prev:" + OPEN_END,)),
            Relation(median_n_key(MEDIAN), (DONE,)),
        ),
    )


SECTIONS = (
    ReportSection("consent.coverage", "Photo and video consent", consent_section, order=25),
)
