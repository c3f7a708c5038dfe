"""Statistical disclosure control for the governors' report, whatever the section.

Official statistics' rules, applied to the cells every section gives (shapes.py):

1. Primary suppression: a count from 1 to the threshold is shown as "fewer than N" (N is the
   threshold plus one). Zero is shown: no child is behind it.
2. Secondary suppression: wherever a reader could work a hidden count out, hide another.
   Every sum the report prints is a relation (a table's totals and subtotals, a chart's bars and
   the total they add to, a section's declared relations such as last period's figure). Three
   checks, repeated until none hides anything more:
   - no relation has exactly one hidden cell (it would be its total minus the rest);
   - within a relation, what a reader knows of each hidden cell (a "fewer than" cell is 1 to the
     threshold, a withheld one more than the threshold) still leaves each hidden count at least
     two possible values, and the hidden cells together, known from a shown total, come to more
     than the threshold (so they are not themselves a small group); where every cell of the
     sum is hidden and their markings alone pin them (a subtotal "fewer than 5" over four
     categories), a "fewer than" cell reads "withheld" instead, so "withheld" promises nothing
     of a count's size and the tests' reader is asked both ways;
   - across every relation at once, no hidden cell is fixed by the equations a reader can
     write (Gaussian elimination over the hidden cells, exact, in fractions).
   The next cell hidden is the smallest non-zero part of the relation that needs it, else its
   total: the least information lost. When every cell of the sums about an exposed cell is
   hidden already (the reader solves it through figures further off), the smallest shown cell
   of any sum that holds a hidden one is hidden next.
3. No median or percentage from a count at or under the threshold.

The per-relation bounds are a check of each relation alone; the exact check covers them all
together. What a reader could learn by setting two reports for overlapping periods side by side
is not covered: the report shows whole periods beside the one before, and docs/architecture.md
says so.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True)
class Sum:
    """total = sum(parts) - sum(minus), over cell keys."""

    total: str
    parts: tuple[str, ...]
    minus: tuple[str, ...] = ()

    def members(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.total, *self.parts, *self.minus)))

    def coefficients(self) -> dict[str, int]:
        coef: dict[str, int] = {self.total: 1}
        for key in self.parts:
            coef[key] = coef.get(key, 0) - 1
        for key in self.minus:
            coef[key] = coef.get(key, 0) + 1
        return {k: c for k, c in coef.items() if c}


@dataclass
class Suppression:
    threshold: int
    values: dict[str, int]
    relations: list[Sum]
    hidden: dict[str, str] = field(default_factory=dict)

    def is_hidden(self, key: str) -> bool:
        return key in self.hidden

    def shown(self, key: str) -> int | None:
        return None if key in self.hidden else self.values[key]


def suppress(*, values: dict[str, int], relations: Iterable[Sum], threshold: int) -> Suppression:
    relations = [r for r in relations if all(k in values for k in r.members())]
    result = Suppression(threshold=threshold, values=values, relations=relations)
    hidden = result.hidden
    for key, value in values.items():
        if 1 <= value <= threshold:
            hidden[key] = PRIMARY
    # Each pass hides one more cell, or marks a "fewer than" cell "withheld", or ends: so it
    # ends within twice len(values) passes.
    while True:
        key = _next_to_hide(result)
        if key is None:
            return result
        hidden[key] = SECONDARY


def _next_to_hide(s: Suppression) -> str | None:
    stuck = []
    for relation in s.relations:
        members = relation.members()
        hidden = [k for k in members if k in s.hidden]
        if len(hidden) == 1 or (hidden and not _bounds_safe(s, relation, hidden)):
            choice = _candidate(s, relation)
            if choice is not None:
                return choice
            # Every cell of the sum is hidden and their markings alone pin them (a subtotal
            # "fewer than 5" over four categories that are each at least 1): the subtotal, or
            # a part, reads "withheld" instead, which says nothing of its size.
            remark = next(
                (k for k in (relation.total, *relation.parts) if s.hidden.get(k) == PRIMARY),
                None,
            )
            if remark is not None and not _bounds_safe(s, relation, hidden):
                return remark
            stuck.append(relation)
    unsafe = bool(stuck)
    for key in _determined(s):
        unsafe = True
        for relation in s.relations:
            if key in relation.members():
                choice = _candidate(s, relation)
                if choice is not None:
                    return choice
    if unsafe:
        # Every sum about the exposed cell is hidden already: the reader solves it through
        # shown figures further off, so hide the smallest one in any sum that has a hidden cell.
        return _widest_candidate(s)
    return None


def _widest_candidate(s: Suppression) -> str | None:
    choices = [
        choice
        for relation in s.relations
        if any(k in s.hidden for k in relation.members())
        and (choice := _candidate(s, relation)) is not None
    ]
    return min(choices, key=lambda k: (s.values[k], k)) if choices else None


def _candidate(s: Suppression, relation: Sum) -> str | None:
    """The cell to hide next in this relation: its smallest non-zero part, else its total."""
    parts = [
        k
        for k in dict.fromkeys((*relation.parts, *relation.minus))
        if k not in s.hidden and s.values[k] > 0
    ]
    if parts:
        return min(parts, key=lambda k: (s.values[k], parts.index(k)))
    if relation.total not in s.hidden:
        return relation.total
    return None


def _range(s: Suppression, key: str) -> tuple[int, float]:
    """What a reader knows of a hidden count from how it is marked."""
    if s.hidden[key] == PRIMARY:
        return 1, s.threshold
    return s.threshold + 1, float("inf")


def _bounds_safe(s: Suppression, relation: Sum, hidden: list[str]) -> bool:
    """Whether, within this relation alone, each hidden count keeps two possible values given
    how each is marked and every other cell's printed value, and whether the hidden parts
    together (known when the total is shown) are no small group."""
    if relation.minus:
        return True
    coef = relation.coefficients()
    if any(coef.get(k, 0) != -1 for k in relation.parts if k != relation.total):
        return True  # a cell counted twice in one sum: the exact check covers it
    inf = float("inf")
    ranges: dict[str, tuple[float, float]] = {
        k: (_range(s, k) if k in s.hidden else (s.values[k], s.values[k]))
        for k in relation.members()
    }
    if relation.total not in s.hidden:
        known = s.values[relation.total] - sum(
            s.values[k] for k in relation.parts if k not in s.hidden
        )
        if known <= s.threshold:
            return False
    # Narrow each range by the sum, twice over (enough for one relation's bounds to settle).
    for _ in range(2):
        t_low, t_high = ranges[relation.total]
        parts = list(dict.fromkeys(relation.parts))
        p_low = sum(ranges[k][0] for k in parts)
        p_high = sum(ranges[k][1] for k in parts)
        ranges[relation.total] = (max(t_low, p_low), min(t_high, p_high))
        for k in parts:
            low, high = ranges[k]
            others_low = p_low - low
            others_high = p_high - high if high != inf else inf
            if others_high == inf:
                others_high = sum(ranges[o][1] for o in parts if o != k)
            ranges[k] = (
                max(low, ranges[relation.total][0] - others_high),
                min(high, ranges[relation.total][1] - others_low),
            )
    return all(ranges[k][1] - ranges[k][0] >= 1 for k in hidden)


def _determined(s: Suppression) -> list[str]:
    """Hidden cells a reader could solve for exactly from every relation at once."""
    variables = sorted(s.hidden)
    if not variables:
        return []
    index = {k: i for i, k in enumerate(variables)}
    rows = []
    for relation in s.relations:
        coef = relation.coefficients()
        row = [Fraction(0)] * len(variables)
        for key, c in coef.items():
            if key in index:
                row[index[key]] = Fraction(c)
        if any(row):
            rows.append(row)
    reduced = _rref(rows, len(variables))
    determined = []
    for row in reduced:
        nonzero = [i for i, v in enumerate(row) if v]
        if len(nonzero) == 1:
            determined.append(variables[nonzero[0]])
    return determined


def _rref(rows: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    rows = [r[:] for r in rows]
    pivot_row = 0
    for col in range(width):
        pivot = next((i for i in range(pivot_row, len(rows)) if rows[i][col]), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [v / lead for v in rows[pivot_row]]
        for i in range(len(rows)):
            if i != pivot_row and rows[i][col]:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[pivot_row], strict=True)]
        pivot_row += 1
        if pivot_row == len(rows):
            break
    return rows[:pivot_row]
