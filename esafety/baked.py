"""Queries the ORM builds and compiles once per process, then runs again with new values.

A page's Python time was mostly the ORM's, not the database's. The dashboard's list of concerns
waiting to be acknowledged, measured at 10× (make bench's data): 1.3 ms to build the queryset,
2.2 ms to compile it to SQL, 1.7 ms to run it, and as long again to make model instances of its
15 rows; the database's share was under a millisecond. Every later request asks the same
question with another school, member or time in it.

A `Baked` query is a function that builds a `.values()` queryset from a shape and values:

- the **shape** is whatever changes the SQL's text: the member's roles, which filters are set,
  a fixed limit. It is part of the cache's key, so it must be hashable and must hold no
  identifier of a person or record.
- the **values** (school and member ids, times, dates, codes, text) go into the SQL only as
  parameters. The function receives stand-ins for them.

The first call for a shape builds the query twice, with two different sets of stand-ins, and
compiles both. The two SQL texts must be the same, and the other parameters too; otherwise
baking fails loudly. Each stand-in's place among the parameters is noted. Every later call puts
the real values in those places and runs the statement through Django's cursor, so the query
counters and execute wrappers see it. The rows are dicts, as `.values()` gives, through the
converters Django would apply. A rule written as a queryset (who may open which concern) stays
the one rule: the SQL is the ORM's compilation of it, cached.

Stand-ins are records that do not exist. `stand_in(School, values.school)` is a School that has
only its id: reading any other field of it asks the database for a row that is not there and
raises. So a builder cannot bake in a value it was not given as a value.

This runs on PostgreSQL only. There, Django passes an int, a datetime, a date or a UUID to the
driver unchanged, so a stand-in is found as itself among the parameters. Elsewhere (SQLite, for
`make run` and the default test run) the function builds the queryset from the real values and
it runs as usual: the same rows, at the ORM's cost.
"""

from __future__ import annotations

import datetime
import threading
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
class _Plan:
    sql: str
    params: tuple  # the constants, with the values' places to fill
    places: dict[str, tuple[int, ...]]
    names: tuple[str, ...]
    col_count: int
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


class Baked:
    def __init__(self, build: Build) -> None:
        self.build = build
        self.__doc__ = build.__doc__
        self.__name__ = getattr(build, "__name__", "baked")
        self._plans: dict[tuple[str, Hashable, tuple[int, ...]], _Plan] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<baked {self.__name__}>"

    def rows(
        self,
        shape: Hashable,
        *,
        limit: int | None = None,
        offset: int = 0,
        using: str = "default",
        **values: Any,
    ) -> list[dict[str, Any]]:
        """The query's rows for these values, at most `limit` from `offset` on."""
        fetched = self._fetch(shape, limit, offset, using, values)
        if fetched is None:
            return self.unbaked(shape, limit=limit, offset=offset, using=using, **values)
        names, rows = fetched
        count = len(names)
        return [{names[i]: row[i] for i in range(count)} for row in rows]

    def objects(
        self,
        model: type[M],
        shape: Hashable,
        *,
        related: tuple[str, ...] = (),
        limit: int | None = None,
        using: str = "default",
        **values: Any,
    ) -> list[M]:
        """The rows as `model` instances, as a queryset of it would give them, with the
        `related` ones (select_related's paths, "pupil", "pupil__school_class") set on them: the
        builder's `.values()` names their fields (`fields_of(model, related)`)."""
        fetched = self._fetch(shape, limit, 0, using, values)
        if fetched is None:
            dicts = self.unbaked(shape, limit=limit, using=using, **values)
            fetched = (
                fields_of(model, related),
                [tuple(d[n] for n in fields_of(model, related)) for d in dicts],
            )
        names, rows = fetched
        at = {name: i for i, name in enumerate(names)}
        # For each model in a row: its fields, where they are in the row, where its primary key
        # is, and which of the models before it holds it, by which field.
        parts = []
        for path in ("", *related):
            part = _model_at(model, path) if path else model
            own = _attnames(part)
            prefix = f"{path}__" if path else ""
            above, _, name = path.rpartition("__")
            holder = None
            if path:
                holder_model = _model_at(model, above) if above else model
                field: Any = holder_model._meta.get_field(name)
                holder = (above, field)
            columns = [at[prefix + n] for n in own]
            parts.append((path, part, own, columns, own.index(part._meta.pk.attname), holder))
        made = []
        for row in rows:
            instances: dict[str, Any] = {}
            for path, part, own, columns, pk_at, holder in parts:
                row_values = [row[i] for i in columns]
                instance = (
                    None if row_values[pk_at] is None else part.from_db(using, own, row_values)
                )
                instances[path] = instance
                if holder is not None and instances[holder[0]] is not None:
                    holder[1].set_cached_value(instances[holder[0]], instance)
            made.append(instances[""])
        return made

    def _fetch(
        self, shape: Hashable, limit: int | None, offset: int, using: str, values: dict
    ) -> tuple[tuple[str, ...], list] | None:
        """The names and rows, or None where nothing is baked (not PostgreSQL)."""
        flat = _flat(values)
        for name, value in flat.items():
            # A builder may leave a filter out for an empty value, and a flag or None changes
            # the SQL (IS NULL): which filters apply is the shape, never a value.
            if value == "" or value is None or isinstance(value, bool):
                raise BakingError(f"{self.__name__}: {name}={value!r} is shape, not a value")
        connection = connections[using]
        # A tuple of values (ids for an IN) is as many parameters as it has items: a plan for
        # each length, up to MAX_ITEMS (a longer one runs as a queryset), so plans stay few.
        lengths = tuple(len(v) for v in values.values() if isinstance(v, tuple))
        if connection.vendor != "postgresql" or any(n > MAX_ITEMS for n in lengths):
            return None
        key = (using, shape, lengths)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._bake(key, shape, values, using)
        if plan.empty:
            return plan.names, []
        params = list(plan.params)
        for name, places in plan.places.items():
            for i in places:
                params[i] = flat[name]
        sql = plan.sql
        if plan.sliced and (limit is not None or offset):
            raise BakingError(f"{self.__name__} sets its own limit")
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        elif offset:
            sql += " OFFSET %s"
            params.append(offset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if plan.converters:
            rows = list(_apply(rows, plan.converters, connection))
        return plan.names, rows

    def unbaked(
        self,
        shape: Hashable,
        *,
        limit: int | None = None,
        offset: int = 0,
        using: str = "default",
        **values: Any,
    ) -> list[dict[str, Any]]:
        """The same rows, from the queryset built with the real values (SQLite's way, and what
        the tests hold the baked rows to)."""
        qs = self.build(shape, Values(values)).using(using)
        if limit is not None:
            qs = qs[offset : offset + limit]
        elif offset:
            qs = qs[offset:]
        return list(qs)

    def sliced(self, shape: Hashable, **values: Any) -> BakedRows:
        """The rows, read when sliced (`rows_page` reads a page and one row more)."""
        return BakedRows(self, shape, values)

    def _bake(self, key: tuple, shape: Hashable, values: dict[str, Any], using: str) -> _Plan:
        first, second = _stand_ins(_flat(values), 1), _stand_ins(_flat(values), 2)
        try:
            # A builder that reads the database (another query's answer put in this one's SQL)
            # would bake in the answer for a stand-in: nothing may run while it builds.
            with connections[using].execute_wrapper(self._no_queries):
                qs_a = self.build(shape, Values(_unflat(values, first))).using(using)
                qs_b = self.build(shape, Values(_unflat(values, second))).using(using)
                compiler, sql, params = _compile(qs_a)
                _, sql_b, params_b = _compile(qs_b)
        except EmptyResultSet:
            plan = _Plan("", (), {}, (), 0, {}, sliced=False, empty=True)
        else:
            if sql != sql_b or len(params) != len(params_b):
                raise BakingError(f"{self.__name__}: its SQL changes with the values")
            places: dict[str, tuple[int, ...]] = {}
            for name in first:
                at = tuple(i for i, p in enumerate(params) if _same(p, first[name]))
                at_b = tuple(i for i, p in enumerate(params_b) if _same(p, second[name]))
                if at != at_b:
                    raise BakingError(f"{self.__name__}: {name} is not a parameter of the SQL")
                places[name] = at
            filled = {i for at in places.values() for i in at}
            for i, (a, b) in enumerate(zip(params, params_b, strict=True)):
                if i not in filled and not _same(a, b):
                    raise BakingError(
                        f"{self.__name__}: parameter {i} is worked out from a value; pass what "
                        "the SQL compares with as a value of its own"
                    )
            fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
            plan = _Plan(
                sql=sql,
                params=params,
                places=places,
                names=_names(qs_a),
                col_count=compiler.col_count,
                converters=compiler.get_converters(fields),
                sliced=qs_a.query.is_sliced,
            )
        with self._lock:
            self._plans[key] = plan
        return plan

    def _no_queries(self, *args: Any) -> None:
        raise BakingError(f"{self.__name__} reads the database while it builds its query")


class BakedRows:
    """A baked query's rows for some values, read a slice at a time."""

    def __init__(self, query: Baked, shape: Hashable, values: dict[str, Any]) -> None:
        self.query, self.shape, self.values = query, shape, values

    def __getitem__(self, part: slice) -> list[dict[str, Any]]:
        if not isinstance(part, slice) or part.step or part.stop is None:
            raise TypeError("a baked query's rows are read a slice at a time: rows[a:b]")
        start = part.start or 0
        return self.query.rows(
            self.shape, limit=max(part.stop - start, 0), offset=start, **self.values
        )


def _flat(values: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, tuple):
            flat.update((f"{name}[{i}]", item) for i, item in enumerate(value))
        else:
            flat[name] = value
    return flat


def _unflat(values: dict[str, Any], flat: dict[str, Any]) -> dict[str, Any]:
    return {
        name: tuple(flat[f"{name}[{i}]"] for i in range(len(value)))
        if isinstance(value, tuple)
        else flat[name]
        for name, value in values.items()
    }


def _apply(rows: list, converters: dict, connection: Any):  # type: ignore[no-untyped-def]
    items = list(converters.items())
    for row in rows:
        row = list(row)
        for pos, (convs, expression) in items:
            value = row[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            row[pos] = value
        yield row


def _attnames(model: type[Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _model_at(model: type[Model], path: str) -> type[Model]:
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model


def fields_of(model: type[Model], related: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The names a builder's `.values()` gives for `Baked.objects` to make whole instances of
    `model` and of the `related` models joined to it."""
    names = _attnames(model)
    for path in related:
        names += [f"{path}__{name}" for name in _attnames(_model_at(model, path))]
    return tuple(names)


def prefetched(instance: Model, related_name: str, objects: list) -> None:
    """Give `instance.<related_name>.all()` these objects, as prefetch_related does (and each
    of them its way back to `instance`), so the page reads them without another query."""
    manager = getattr(instance, related_name)
    qs = manager.get_queryset()
    qs._result_cache = objects
    qs._prefetch_done = True
    field = manager.field
    for obj in objects:
        field.set_cached_value(obj, instance)
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[field.remote_field.cache_name] = qs


def baked(build: Build) -> Baked:
    """Decorate `build(shape, values) -> a .values() queryset`; call `.rows(shape, **values)`."""
    return Baked(build)
