"""A reader who wants a hidden count back: knows every printed figure, how each hidden one is
marked ("fewer than 5" is 1 to 4; "withheld" is more than 4, as zero is always printed), and
every sum the report prints. `possible(...)` finds, by exhaustive search, every value a hidden
count could take consistently with all of that; a count with one possible value is recovered.

Written apart from esafety/reports/disclosure.py on purpose: it searches, it does not reason."""

from esafety.reports.disclosure import PRIMARY, Sum


def possible(
    *,
    shown: dict[str, int],
    hidden: dict[str, str],
    relations: list[Sum],
    threshold: int,
    withheld_from: int | None = None,
) -> dict[str, set[int]]:
    """`withheld_from`: the least a "withheld" count can be in the reader's eyes: more than the
    threshold by default (a reader who takes "withheld" as "not small"), or 1 for a reader who
    knows a small count may read "withheld" too."""
    low = threshold + 1 if withheld_from is None else withheld_from
    ceiling = max([*shown.values(), threshold]) * 2 + threshold + 1
    ranges = {
        k: range(1, threshold + 1) if kind == PRIMARY else range(low, ceiling + 1)
        for k, kind in hidden.items()
    }
    order = sorted(hidden)
    found: dict[str, set[int]] = {k: set() for k in order}

    def consistent(assigned: dict[str, int]) -> bool:
        for r in relations:
            coef = r.coefficients()
            known, low, high = 0, 0, 0
            for key, c in coef.items():
                if key in shown:
                    known += c * shown[key]
                elif key in assigned:
                    known += c * assigned[key]
                else:
                    span = ranges[key]
                    a, b = c * span.start, c * (span.stop - 1)
                    low, high = low + min(a, b), high + max(a, b)
            if not (low <= -known <= high):
                return False
        return True

    def solve(i: int, assigned: dict[str, int]) -> bool:
        if not consistent(assigned):
            return False
        if i == len(order):
            return True
        key = order[i]
        if key in assigned:
            return solve(i + 1, assigned)
        for value in ranges[key]:
            assigned[key] = value
            if solve(i + 1, assigned):
                del assigned[key]
                return True
            del assigned[key]
        return False

    for key in order:
        for value in ranges[key]:
            if solve(0, {key: value}):
                found[key].add(value)
                if len(found[key]) >= 2:
                    break
    return found


def recovered(**kwargs) -> dict[str, int]:
    """The hidden counts a reader can work out exactly, with their values."""
    return {k: next(iter(v)) for k, v in possible(**kwargs).items() if len(v) == 1}
