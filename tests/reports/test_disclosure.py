"""Primary and secondary suppression on figures designed to be subtracted, each checked by a
reader who searches every value a hidden count could take (attacker.py)."""

from esafety.reports.disclosure import PRIMARY, SECONDARY, Sum, suppress
from tests.reports.attacker import possible, recovered


def published(s):
    shown = {k: v for k, v in s.values.items() if k not in s.hidden}
    return {"shown": shown, "hidden": dict(s.hidden), "relations": s.relations}


def check(values, relations, threshold=4):
    s = suppress(values=values, relations=relations, threshold=threshold)
    # Nothing back for a reader who takes "withheld" as "not small", nor for one who knows a
    # small count may read "withheld" too.
    assert recovered(**published(s), threshold=threshold) == {}
    assert recovered(**published(s), threshold=threshold, withheld_from=1) == {}
    return s


def test_a_count_from_one_to_the_threshold_is_hidden_and_zero_is_shown():
    s = suppress(values={"a": 0, "b": 1, "c": 4, "d": 5}, relations=[], threshold=4)
    assert s.hidden == {"b": PRIMARY, "c": PRIMARY}
    assert s.shown("a") == 0 and s.shown("d") == 5


def test_one_concern_in_a_category_is_not_left_to_be_subtracted_from_the_total():
    values = {"bullying": 9, "nudes": 1, "hate": 0, "total": 10}
    relations = [Sum("total", ("bullying", "nudes", "hate"))]
    # Hiding the one alone would not do: the total less the rest gives it back.
    naive = {"shown": {"bullying": 9, "hate": 0, "total": 10}, "hidden": {"nudes": PRIMARY}}
    assert recovered(**naive, relations=relations, threshold=4) == {"nudes": 1}

    s = check(values, relations)
    assert s.hidden == {"nudes": PRIMARY, "bullying": SECONDARY}
    assert s.shown("total") == 10 and s.shown("hate") == 0


def test_two_small_counts_hidden_together_are_not_left_as_a_small_group():
    # Two categories of one each: hiding both still leaves "2 between them" (the total less
    # the third), and as neither can be 0, each is 1.
    relations = [Sum("total", ("a", "b", "c"))]
    pair = {"shown": {"c": 7, "total": 9}, "hidden": {"a": PRIMARY, "b": PRIMARY}}
    assert recovered(**pair, relations=relations, threshold=4) == {"a": 1, "b": 1}

    s = check({"a": 1, "b": 1, "c": 7, "total": 9}, relations)
    assert s.is_hidden("c")


def test_a_four_c_subtotal_does_not_give_away_its_one_category():
    # Conduct = bullying + nudes; total = content + conduct. One nudes concern; a shown conduct
    # subtotal less bullying would give it back, and so would the total less content.
    values = {
        "content": 12,
        "bullying": 7,
        "nudes": 1,
        "conduct": 8,
        "total": 20,
        "filtering": 12,
    }
    relations = [
        Sum("conduct", ("bullying", "nudes")),
        Sum("content", ("filtering",)),
        Sum("total", ("filtering", "bullying", "nudes")),
        Sum("total", ("content", "conduct")),
    ]
    s = check(values, relations)
    assert s.is_hidden("nudes") and s.is_hidden("bullying")


def test_a_month_chart_that_sums_to_the_category_total_gives_nothing_away():
    # The same twelve concerns by category and by month: two ways to subtract.
    values = {
        "bullying": 10,
        "nudes": 2,
        "total": 12,
        "sep": 6,
        "oct": 5,
        "nov": 1,
    }
    relations = [Sum("total", ("bullying", "nudes")), Sum("total", ("sep", "oct", "nov"))]
    s = check(values, relations)
    assert {"nudes", "nov"} <= set(s.hidden)
    assert len([k for k in ("sep", "oct", "nov") if s.is_hidden(k)]) >= 2


def test_last_periods_figure_does_not_give_this_periods_away():
    # Open at the end = open at the start + logged - closed; the start is last period's end.
    values = {
        "open_start": 9,
        "logged": 3,
        "closed": 6,
        "open_end": 6,
        "prev:open_end": 9,
    }
    relations = [
        Sum("open_end", ("open_start", "logged"), ("closed",)),
        Sum("open_start", ("prev:open_end",)),
    ]
    s = check(values, relations)
    assert s.is_hidden("logged")
    assert any(s.is_hidden(k) for k in ("open_start", "closed", "open_end"))


def test_a_grid_whose_rows_and_columns_both_add_up_is_solved_as_a_whole():
    # Two audiences by accepted / not yet, with row and column totals: four sums at once.
    values = {"a1": 1, "a2": 20, "a": 21, "b1": 30, "b2": 40, "b": 70, "t1": 31, "t2": 60, "t": 91}
    relations = [
        Sum("a", ("a1", "a2")),
        Sum("b", ("b1", "b2")),
        Sum("t1", ("a1", "b1")),
        Sum("t2", ("a2", "b2")),
        Sum("t", ("a", "b")),
        Sum("t", ("t1", "t2")),
    ]
    s = check(values, relations)
    assert len(s.hidden) >= 4  # one hidden cell of a grid takes a rectangle of four


def test_the_reader_recovers_a_month_hidden_alone():
    # The reader can succeed: a month hidden alone is the total less the others.
    relations = [Sum("total", ("sep", "oct", "nov"))]
    only_primary = {"shown": {"sep": 6, "oct": 5, "total": 12}, "hidden": {"nov": PRIMARY}}
    assert possible(**only_primary, relations=relations, threshold=4) == {"nov": {1}}


def test_a_small_subtotal_over_as_many_categories_is_not_left_to_pin_them():
    # Four conduct categories with one concern each: all "fewer than 5", and so is their
    # subtotal, 4. Four counts of at least 1 under a subtotal under 5 can only be 1 each.
    parts = ("bullying", "nudes", "hate", "misuse")
    values = {**dict.fromkeys(parts, 1), "conduct": 4, "content": 20, "total": 24}
    relations = [
        Sum("conduct", parts),
        Sum("total", ("conduct", "content")),
    ]
    naive = {
        "shown": {"content": 20},
        "hidden": {**dict.fromkeys(parts, PRIMARY), "conduct": PRIMARY, "total": SECONDARY},
    }
    assert recovered(**naive, relations=relations, threshold=4) == {
        **dict.fromkeys(parts, 1),
        "conduct": 4,
        "total": 24,
    }

    s = check(values, relations)
    assert s.hidden["conduct"] == SECONDARY  # reads "withheld": it says nothing of its size
