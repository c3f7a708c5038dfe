"""A section's figures as cells and sums: every count the report prints has a key, and every
total, subtotal and chart it prints is a `Sum` over those keys, so the suppression
(disclosure.py) knows each sum a reader can form.

The report prints what `layout` returns and nothing else: the same rows the sums were made from.
"""

from dataclasses import dataclass

from esafety.reports.disclosure import Sum
from esafety.reports.shapes import CountTable, SectionFigures

PREV = "prev:"


@dataclass(frozen=True)
class LaidRow:
    label: str
    kind: str  # "row", "subtotal" or "total"
    keys: tuple[str, ...]  # one per column, then the row total when the table has one


def cell_key(table: CountTable, row_label: str, column: int) -> str:
    return f"{table.key}:{row_label}:{column}"


def layout(table: CountTable) -> tuple[list[LaidRow], list[Sum]]:
    """The rows the table prints (with the totals the report adds) and the sums they make."""
    width = len(table.columns)
    rows: list[LaidRow] = []
    sums: list[Sum] = []

    def with_total(label: str, keys: list[str], kind: str, total_key: str) -> LaidRow:
        if table.row_totals:
            sums.append(Sum(total_key, tuple(keys)))
            keys = [*keys, total_key]
        return LaidRow(label, kind, tuple(keys))

    groups: dict[str, list[LaidRow]] = {}
    for row in table.rows:
        if len(row.counts) != width:
            raise ValueError(f"{table.key}: row {row.label!r} has {len(row.counts)} counts")
        keys = list(row.keys) or [cell_key(table, row.label, c) for c in range(width)]
        laid = with_total(row.label, keys, "row", f"{table.key}:{row.label}:total")
        groups.setdefault(row.group, []).append(laid)

    subtotals: list[LaidRow] = []
    for group, members in groups.items():
        rows.extend(members)
        if table.group_subtotals and group:
            keys = [f"{table.key}:group:{group}:{c}" for c in range(width)]
            for c, key in enumerate(keys):
                sums.append(Sum(key, tuple(m.keys[c] for m in members)))
            sub = with_total(group, keys, "subtotal", f"{table.key}:group:{group}:total")
            if table.row_totals:
                sums.append(Sum(sub.keys[-1], tuple(m.keys[-1] for m in members)))
            rows.append(sub)
            subtotals.append(sub)

    if table.column_totals:
        body = [r for r in rows if r.kind == "row"]
        grand = table.total_key or f"{table.key}:total:total"
        if table.row_totals or width > 1:
            keys = [f"{table.key}:total:{c}" for c in range(width)]
        else:
            keys = [grand]
        for c, key in enumerate(keys):
            sums.append(Sum(key, tuple(r.keys[c] for r in body)))
            if subtotals and len(subtotals) == len(groups):
                sums.append(Sum(key, tuple(r.keys[c] for r in subtotals)))
        total = with_total(table.total_label, keys, "total", grand)
        if table.row_totals:
            sums.append(Sum(grand, tuple(r.keys[-1] for r in body)))
        rows.append(total)
    return rows, sums


def values_of(table: CountTable, rows: list[LaidRow]) -> dict[str, int]:
    """The count behind every key the table prints."""
    width = len(table.columns)
    values: dict[str, int] = {}
    body = iter(table.rows)
    by_key: dict[str, int] = {}
    for laid in rows:
        if laid.kind == "row":
            counts = next(body).counts
            for c in range(width):
                by_key[laid.keys[c]] = counts[c]
    # Totals and subtotals are the sums of what they add up (the sums made by layout()).
    _, sums = layout(table)
    pending = list(sums)
    values.update(by_key)
    while pending:
        rest = []
        for s in pending:
            if s.total in values:
                continue
            if all(k in values for k in s.parts):
                values[s.total] = sum(values[k] for k in s.parts)
            else:
                rest.append(s)
        if len(rest) == len(pending):
            break
        pending = rest
    return values


def section_cells(
    figures: SectionFigures, prefix: str, *, last: bool | None = None
) -> tuple[dict[str, int], list[Sum]]:
    """The cells and sums of one period's figures, keys prefixed. `last`: these are last
    period's figures (a state as it stands has none), or, when None, figures printed with no
    last period beside them (the trust's), so a relation to last period is left out too."""
    if last is None:
        last = prefix == PREV
    values: dict[str, int] = {}
    sums: list[Sum] = []
    for table in figures.tables:
        if last and table.as_it_stands:
            continue
        rows, table_sums = layout(table)
        for key, value in values_of(table, rows).items():
            if values.setdefault(prefix + key, value) != value:
                raise ValueError(f"{table.key}: {key} is two different figures")
        sums.extend(_prefixed(s, prefix) for s in table_sums)
    for median in figures.medians:
        values[prefix + median_n_key(median.key)] = median.n
    for relation in figures.relations:
        keys = (relation.total, *relation.parts, *relation.minus)
        if prefix and any(k.startswith(PREV) for k in keys):
            continue  # to the period before these figures: not printed beside them
        sums.append(
            _prefixed(Sum(relation.total, tuple(relation.parts), tuple(relation.minus)), prefix)
        )
    return values, sums


def median_n_key(key: str) -> str:
    return f"{key}:n"


def _prefixed(s: Sum, prefix: str) -> Sum:
    if not prefix:
        return s
    return Sum(
        prefix + s.total, tuple(prefix + k for k in s.parts), tuple(prefix + k for k in s.minus)
    )
