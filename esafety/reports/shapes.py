"""The contract between the governors' report and the apps that give it sections.

An app contributes `ReportSection`s (esafety.contributions.Contribution.report_sections). Each
section's `build(school=, start=, end=)` returns `SectionFigures` for one period: tables of
counts, medians with the count behind them, and listings of things that are not people (a
policy's title, version and review date). Never a name, never a narrative: a count is a number
of records, and the report decides what may be shown.

The report calls `build` twice, for the period and for the period before it, and applies
statistical disclosure control to both at once (esafety/reports/disclosure.py): a count from 1
to the school's threshold is suppressed, and a second cell wherever a total, subtotal, chart or
last period's figure would let a reader work it out. For that it must know every sum a reader
can form, so an app gives its counts as tables whose totals the report adds up itself, and says
in `relations` how its tables meet (a cell that is another's total; last period's figure).

Cell keys: every count has a key, unique within the section, stable across periods (the same
row of last period's table has the same key). Two cells with one key are one figure shown twice.
In a relation, "prev:<key>" names last period's figure.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    """A row of a table: its label and one count per column. `group` files it under a
    subtotal (a category under its 4C); `keys` name its cells when another table or a relation
    refers to them (otherwise "<table>:<row label>:<column>")."""

    label: str
    counts: tuple[int, ...]
    group: str = ""
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class CountTable:
    """Counts by one or two dimensions. The report adds the totals it is asked for, so every
    published sum is one the suppression knows about.

    - `column_totals`: a Total row (each column summed down), keyed `total_key` for the first
      column when given (so another table can share it: the concerns by month sum to the same
      total as the concerns by category).
    - `row_totals`: a Total column (each row summed across).
    - `group_subtotals`: a subtotal row for each group (rows with the same `group`).
    - `percent_of_row`: column index shown also as a percentage of its row's total (AUP
      accepted), shown only when the row total exceeds the threshold and neither part of it
      is suppressed.
    - `chart`: drawn as a bar chart (SVG, black and white) as well as the table.
    - `as_it_stands`: a state today, not a count over the period (no last period beside).
    """

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    column_totals: bool = True
    row_totals: bool = False
    group_subtotals: bool = False
    percent_of_row: int | None = None
    chart: bool = False
    total_key: str = ""
    total_label: str = "Total"
    as_it_stands: bool = False
    note: str = ""


@dataclass(frozen=True)
class Median:
    """A median over `n` records (minutes to acknowledge, days to remove). Shown only when n
    is above the threshold; `n` itself is a count, suppressed like any other."""

    key: str
    title: str
    value: float | None
    n: int
    unit: str
    n_label: str = "records"


@dataclass(frozen=True)
class Listing:
    """Rows of plain facts that are not counts of people: a policy's title, version, review
    date and status. Never a person's name (a named role is a role: "DSL")."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = "None recorded."


@dataclass(frozen=True)
class Relation:
    """A sum a reader can form from cells the report shows, beyond the totals it adds itself:
    total = sum(parts) - sum(minus). Keys may name last period's cells as "prev:<key>".
    Declaring one that holds only roughly is safe: it can only make the report hide more."""

    total: str
    parts: tuple[str, ...]
    minus: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditAnswer:
    """An answer to a question of the local authority's annual safeguarding audit (section 175
    of the Education Act 2002, section 157 for independent schools): plain text (a fact that is
    not a person: "Yes, reviewed 3 Sep 2026"), or the key of a count or median in this section,
    printed exactly as the section prints it (so suppressed the same way)."""

    question: str
    answer: str = ""
    count_key: str = ""
    median_key: str = ""


@dataclass(frozen=True)
class SectionFigures:
    tables: tuple[CountTable, ...] = ()
    medians: tuple[Median, ...] = ()
    listings: tuple[Listing, ...] = ()
    relations: tuple[Relation, ...] = ()
    audit: tuple[AuditAnswer, ...] = ()


@dataclass(frozen=True)
class ReportSection:
    """A section of the governors' report. `key` is stable ("incidents.concerns"): the board's
    choice of sections is stored by it. `build(school=, start=, end=)` runs twice per report (the
    period and the one before) in a constant number of queries."""

    key: str
    title: str
    build: Callable[..., SectionFigures]
    order: int = 50
    summary: str = field(default="", compare=False)


Build = Callable[..., SectionFigures]
