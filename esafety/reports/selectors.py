"""The governors' report for a school and a period, composed from every installed app's
sections and suppressed as one (disclosure.py). The dashboard and the PDF both print this."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from esafety.contributions import report_sections
from esafety.people.models import School
from esafety.reports import charts, periods
from esafety.reports.cells import PREV, LaidRow, layout, median_n_key, section_cells
from esafety.reports.disclosure import PRIMARY, Suppression, suppress
from esafety.reports.models import ReportBuild, ReportSettings
from esafety.reports.periods import Period
from esafety.reports.shapes import (
    AuditAnswer,
    CountTable,
    Listing,
    Median,
    ReportSection,
    SectionFigures,
)

WITHHELD = "withheld"


@dataclass(frozen=True)
class CellView:
    text: str
    hidden: str = ""  # "primary", "secondary" or ""


@dataclass(frozen=True)
class RowView:
    label: str
    kind: str
    cells: tuple[tuple[CellView, CellView | None], ...]  # (this period, last period)
    percent: tuple[str, str] | None = None


@dataclass(frozen=True)
class TableView:
    key: str
    title: str
    columns: tuple[str, ...]
    has_last: bool
    has_percent: bool
    rows: tuple[RowView, ...]
    chart: str = ""
    note: str = ""


@dataclass(frozen=True)
class MedianView:
    key: str
    title: str
    this: str
    last: str


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    tables: tuple[TableView, ...]
    medians: tuple[MedianView, ...]
    listings: tuple[Listing, ...]
    audit: tuple[tuple[str, str], ...] = ()  # (question, answer) for the section 175/157 page
    # What was hidden and why, over both periods (the tests' reader works from it).
    suppression: Suppression = field(compare=False, repr=False, default=None)  # type: ignore[assignment]


@dataclass(frozen=True)
class Report:
    school: School
    period: Period
    previous: Period
    threshold: int
    sections: tuple[SectionView, ...]
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def audit(self) -> list[tuple[str, str]]:
        """The section 175/157 audit's questions each chosen section answers, in order."""
        return [qa for section in self.sections for qa in section.audit]

    @property
    def fewer_than(self) -> str:
        return f"fewer than {self.threshold + 1}"


def settings_of(school: School) -> ReportSettings:
    """The school's report settings, or the defaults when the board has not chosen yet (read
    only: nothing is written on a read)."""
    found = ReportSettings.objects.filter(school=school).first()
    return found or ReportSettings(school=school)


def builds_for(*, school: School) -> "QuerySet[ReportBuild]":
    return ReportBuild.objects.filter(school=school)


def available_sections() -> list[ReportSection]:
    return report_sections()


def chosen_sections(settings: ReportSettings) -> list[ReportSection]:
    """The board's sections that an installed app gives, in report order. A chosen section
    whose app is not installed is left out; nothing is made up in its place."""
    sections = available_sections()
    if settings.sections is None:
        return sections
    chosen = set(settings.sections)
    return [s for s in sections if s.key in chosen]


def report_for(
    *, school: School, period: Period, progress: Callable[[int, int], None] | None = None
) -> Report:
    """The report; `progress(done, total)` is told after each section (a background build)."""
    settings = settings_of(school)
    previous = periods.previous(school, period)
    built: list[tuple[ReportSection, SectionFigures, SectionFigures]] = []
    sections = chosen_sections(settings)
    for section in sections:
        this = section.build(school=school, start=period.start, end=period.end)
        last = section.build(school=school, start=previous.start, end=previous.end)
        built.append((section, this, last))
        if progress is not None:
            progress(len(built), len(sections))
    views = tuple(
        _section_view(section, this, last, settings.threshold) for section, this, last in built
    )
    return Report(
        school=school,
        period=period,
        previous=previous,
        threshold=settings.threshold,
        sections=views,
    )


def _section_view(
    section: ReportSection, this: SectionFigures, last: SectionFigures, threshold: int
) -> SectionView:
    values, sums = section_cells(this, "")
    last_values, last_sums = section_cells(last, PREV)
    s = suppress(values=values | last_values, relations=sums + last_sums, threshold=threshold)
    last_tables = {t.key: t for t in last.tables}
    last_medians = {m.key: m for m in last.medians}
    return SectionView(
        key=section.key,
        title=section.title,
        tables=tuple(_table_view(t, last_tables.get(t.key), s) for t in this.tables),
        medians=tuple(_median_view(m, last_medians.get(m.key), s) for m in this.medians),
        listings=this.listings,
        audit=tuple(_audit_answer(a, this, s) for a in this.audit),
        suppression=s,
    )


def _audit_answer(answer: AuditAnswer, figures: SectionFigures, s: Suppression) -> tuple[str, str]:
    if answer.count_key:
        return answer.question, _text(s, answer.count_key).text
    if answer.median_key:
        median = next((m for m in figures.medians if m.key == answer.median_key), None)
        return answer.question, _median_text(s, median, "")
    return answer.question, answer.answer


def _text(s: Suppression, key: str) -> CellView:
    if key not in s.values:
        return CellView("–")
    hidden = s.hidden.get(key, "")
    if hidden == PRIMARY:
        return CellView(f"fewer than {s.threshold + 1}", hidden)
    if hidden:
        return CellView(WITHHELD, hidden)
    return CellView(f"{s.values[key]:,}")


def _percent(s: Suppression, laid: LaidRow, column: int, prefix: str) -> str:
    part, whole = prefix + laid.keys[column], prefix + laid.keys[-1]
    if part not in s.values or whole not in s.values:
        return "–"
    if s.is_hidden(part) or s.is_hidden(whole) or s.values[whole] <= s.threshold:
        return WITHHELD
    return f"{round(s.values[part] * 100 / s.values[whole])}%"


def _table_view(table: CountTable, last: CountTable | None, s: Suppression) -> TableView:
    rows, _ = layout(table)
    has_last = not table.as_it_stands and last is not None
    has_percent = table.percent_of_row is not None and table.row_totals
    views = []
    for laid in rows:
        cells = tuple(
            (_text(s, key), _text(s, PREV + key) if has_last else None) for key in laid.keys
        )
        percent = None
        if has_percent and table.percent_of_row is not None:
            percent = (
                _percent(s, laid, table.percent_of_row, ""),
                _percent(s, laid, table.percent_of_row, PREV) if has_last else "",
            )
        views.append(RowView(laid.label, laid.kind, cells, percent))
    columns = table.columns + (("Total",) if table.row_totals else ())
    chart = ""
    if table.chart:
        bars = [
            charts.Bar(
                label=r.label,
                value=None if s.is_hidden(r.keys[0]) else s.values[r.keys[0]],
                hidden_text=_text(s, r.keys[0]).text,
            )
            for r in rows
            if r.kind == "row"
        ]
        chart = charts.bar_chart(title=table.title, bars=bars)
    return TableView(
        key=table.key,
        title=table.title,
        columns=columns,
        has_last=has_last,
        has_percent=has_percent,
        rows=tuple(views),
        chart=chart,
        note=table.note,
    )


def _median_text(s: Suppression, median: Median | None, prefix: str) -> str:
    if median is None:
        return "–"
    n_key = prefix + median_n_key(median.key)
    if median.n == 0 or median.value is None:
        return f"no {median.n_label}"
    if s.is_hidden(n_key) or median.n <= s.threshold:
        return f"not shown: from {_text(s, n_key).text} {median.n_label}"
    value = f"{median.value:g}"
    return f"{value} {median.unit} (from {median.n:,} {median.n_label})"


def _median_view(median: Median, last: Median | None, s: Suppression) -> MedianView:
    return MedianView(
        key=median.key,
        title=median.title,
        this=_median_text(s, median, ""),
        last=_median_text(s, last, PREV),
    )
