"""A baked query (esafety/baked): its plans, one a shape, and its rows."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.db import connections

from esafety.baked.instances import fields_of, instances
from esafety.baked.plan import (
    MAX_ITEMS,
    BakingError,
    Build,
    M,
    Plan,
    Values,
    apply_converters,
    flat,
    make_plan,
)


class Baked:
    """A query `build(shape, values)` makes, with a plan for each shape it has been asked in
    (made on first use, by make_plan), run with each call's values."""

    def __init__(self, build: Build) -> None:
        self.build = build
        self.__doc__ = build.__doc__
        self.__name__ = getattr(build, "__name__", "baked")
        self._plans: dict[tuple[str, Hashable, tuple[int, ...]], Plan] = {}

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
            names = fields_of(model, related)
            fetched = names, [tuple(d[n] for n in names) for d in dicts]
        names, rows = fetched
        return instances(model, related, names, rows, using)

    def _fetch(
        self, shape: Hashable, limit: int | None, offset: int, using: str, values: dict
    ) -> tuple[tuple[str, ...], list] | None:
        """The names and rows, or None where nothing is baked (not PostgreSQL)."""
        given = flat(values)
        for name, value in given.items():
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
            # Two threads baking the same shape at once make the same plan; either may stay.
            plan = make_plan(self.build, self.__name__, shape, values, using)
            self._plans[key] = plan
        if plan.empty:
            return plan.names, []
        params = list(plan.params)
        for name, places in plan.places.items():
            for i in places:
                params[i] = given[name]
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
            rows = list(apply_converters(rows, plan.converters, connection))
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


def baked(build: Build) -> Baked:
    """Decorate `build(shape, values) -> a .values() queryset`; call `.rows(shape, **values)`."""
    return Baked(build)
