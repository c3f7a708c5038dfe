"""Baking a query (esafety/baked): the stand-ins a builder gets, and the plan made from two
compilations of it, refused when its SQL is not its shape's alone."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)
Build = Callable[[Any, "Values"], QuerySet]

MAX_ITEMS = 64
# Far from any real id, date or code, and each one different.
_BASE_INT = -2_000_000_000
_BASE_TIME = datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC)


class BakingError(RuntimeError):
    """The query's SQL depends on something other than its shape, or a value did not reach it
    as a parameter."""


class Values:
    """The values a builder receives: the real ones, or stand-ins for them, by name."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"no value named {name!r} was given")


def stand_in(model: type[M], pk: Any) -> M:
    """A `model` instance with only its primary key: the rest are deferred, so reading one asks
    the database for the row. A stand-in's row does not exist, and that read raises."""
    return model.from_db(None, [model._meta.pk.attname], [pk])


def _stand_ins(values: dict[str, Any], round_: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, (name, value) in enumerate(values.items()):
        n = round_ * 1000 + i + 1
        # bool first: it is an int, and has too few values to stand in for.
        if isinstance(value, bool) or value is None:
            raise BakingError(f"{name}={value!r}: a flag or a None changes the SQL: it is shape")
        if isinstance(value, int):
            out[name] = _BASE_INT + n
        elif isinstance(value, datetime.datetime):
            out[name] = _BASE_TIME + datetime.timedelta(microseconds=n)
        elif isinstance(value, datetime.date):
            out[name] = _BASE_TIME.date() + datetime.timedelta(days=n)
        elif isinstance(value, uuid.UUID):
            out[name] = uuid.UUID(int=(0xBAE << 112) + n)
        elif isinstance(value, str):
            out[name] = f"\x1bbaked-{n}\x1b"
        else:
            raise BakingError(f"{name}: no stand-in for a {type(value).__name__}")
    return out


@dataclass(frozen=True)
class Plan:
    sql: str
    params: tuple  # the constants, with the values' places to fill
    places: dict[str, tuple[int, ...]]
    names: tuple[str, ...]
    converters: dict  # the compiler's, by column
    sliced: bool = False  # the builder set its own limit
    empty: bool = False


def _compile(queryset: QuerySet) -> tuple[Any, str, tuple]:
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    return compiler, sql, tuple(params)


def _names(queryset: QuerySet) -> tuple[str, ...]:
    query = queryset.query
    if query.selected:
        return tuple(query.selected)
    return (*query.extra_select, *query.values_select, *query.annotation_select)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _refuse_queries(name: str) -> Callable[..., None]:
    def refuse(*args: Any) -> None:
        raise BakingError(f"{name} reads the database while it builds its query")

    return refuse


def make_plan(build: Build, name: str, shape: Hashable, values: dict[str, Any], using: str) -> Plan:
    """Build the query twice with two sets of stand-ins, compile both, check that the SQL is the
    shape's alone, and note where each value goes."""
    first, second = _stand_ins(flat(values), 1), _stand_ins(flat(values), 2)
    try:
        # A builder that reads the database (another query's answer put in this one's SQL)
        # would bake in the answer for a stand-in: nothing may run while it builds.
        with connections[using].execute_wrapper(_refuse_queries(name)):
            qs_a = build(shape, Values(unflat(values, first))).using(using)
            qs_b = build(shape, Values(unflat(values, second))).using(using)
            compiler, sql, params = _compile(qs_a)
            _, sql_b, params_b = _compile(qs_b)
    except EmptyResultSet:
        plan = Plan("", (), {}, (), {}, sliced=False, empty=True)
    else:
        if sql != sql_b or len(params) != len(params_b):
            raise BakingError(f"{name}: its SQL changes with the values")
        places: dict[str, tuple[int, ...]] = {}
        for value in first:
            at = tuple(i for i, p in enumerate(params) if _same(p, first[value]))
            at_b = tuple(i for i, p in enumerate(params_b) if _same(p, second[value]))
            if at != at_b:
                raise BakingError(f"{name}: {value} is not a parameter of the SQL")
            places[value] = at
        filled = {i for at in places.values() for i in at}
        for i, (a, b) in enumerate(zip(params, params_b, strict=True)):
            if i not in filled and not _same(a, b):
                raise BakingError(
                    f"{name}: parameter {i} is worked out from a value; pass what "
                    "the SQL compares with as a value of its own"
                )
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        plan = Plan(
            sql=sql,
            params=params,
            places=places,
            names=_names(qs_a),
            converters=compiler.get_converters(fields),
            sliced=qs_a.query.is_sliced,
        )
    return plan


def flat(values: dict[str, Any]) -> dict[str, Any]:
    """The values with each tuple spread out, an item a value ("ids[0]", "ids[1]")."""
    spread: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, tuple):
            spread.update((f"{name}[{i}]", item) for i, item in enumerate(value))
        else:
            spread[name] = value
    return spread


def unflat(values: dict[str, Any], spread: dict[str, Any]) -> dict[str, Any]:
    """`spread`'s values (stand-ins) put back in the shape of `values`."""
    return {
        name: tuple(spread[f"{name}[{i}]"] for i in range(len(value)))
        if isinstance(value, tuple)
        else spread[name]
        for name, value in values.items()
    }


def apply_converters(rows: list, converters: dict, connection: Any):  # type: ignore[no-untyped-def]
    items = list(converters.items())
    for row in rows:
        row = list(row)
        for pos, (convs, expression) in items:
            value = row[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            row[pos] = value
        yield row
