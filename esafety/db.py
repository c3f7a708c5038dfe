"""New rows of several models in one statement: what a write that adds a handful of rows to
several tables (a concern with its pupils, steps, first entry, audit event and alerts) would
otherwise send as one INSERT a table."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, models
from django.db.models.sql import InsertQuery


def insert_together(*groups: Sequence[models.Model]) -> None:
    """Insert each group's new rows (a group is rows of one model), in the order given, in one
    statement (one group: the plain INSERT); afterwards the last group's rows have their ids,
    as bulk_create gives them, and every row is marked saved. A row whose id is not set in
    advance and is not in the last group keeps no id: give those groups rows nothing reads
    again.

    On PostgreSQL the statement is data-modifying WITH clauses: each runs once and to completion
    whether or not anything reads its rows, and the foreign keys between them are checked at
    commit (Django declares them deferrable). Elsewhere (SQLite) each group is a bulk_create, in
    order, so a later group's foreign key takes an earlier group's new id. Like bulk_create: no
    save(), no signals; any number of rows (UNNEST keeps the parameters one a column), though
    only inserts of up to MAX_PLANNED_ROWS rows skip the compiler.
    """
    groups = [list(group) for group in groups if group]
    if not groups:
        return
    if connection.vendor != "postgresql":
        _group_by_group(groups)
        return
    *first, last = groups
    clauses, params = [], []
    for i, group in enumerate(first):
        sql, group_params = _insert_sql(group, returning=False)
        clauses.append(f"i{i} AS ({sql})")
        params.extend(group_params)
    sql, last_params = _insert_sql(last, returning=True)
    if clauses:
        sql = f"WITH {', '.join(clauses)} {sql}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *last_params])
        returned = cursor.fetchall()
    for obj, (pk,) in zip(last, returned, strict=True):
        obj.pk = pk
    for group in groups:
        for obj in group:
            obj._state.adding = False
            obj._state.db = connection.alias


def _group_by_group(groups: list[list[models.Model]]) -> None:
    for group in groups:
        if connection.features.can_return_rows_from_bulk_insert:
            type(group[0])._default_manager.bulk_create(group)
        else:
            # An SQLite before 3.35 gives no ids from a bulk insert, and a later group may
            # point at these rows.
            for obj in group:
                obj.save(force_insert=True)


def _insert_sql(objs: list[models.Model], *, returning: bool) -> tuple[str, Sequence]:
    """The INSERT bulk_create would send for these rows, compiled by Django's own compiler (so
    defaults, auto_now stamps and each field's conversion are bulk_create's).

    Compiling costs more than the values it places (0.8 ms a group under the profiler, most of
    a logging POST's Python), and an INSERT's text depends only on the model, its fields, the
    number of rows and RETURNING, never on a value: a value that is an expression is the one
    exception, and never takes the plan. So the text is compiled twice for a key; when both
    compilations agree, and their parameters are the rows' values laid out by row or by column
    (PostgreSQL's UNNEST), later inserts fill that layout with their values. A key whose two
    compilations differ, or whose parameters are laid out otherwise, is compiled every time."""
    model = type(objs[0])
    opts = model._meta
    for obj in objs:
        if type(obj) is not model:
            raise TypeError(f"A group holds rows of one model: {model} and {type(obj)}.")
        if not obj._is_pk_set():
            obj.pk = opts.pk.get_pk_value_on_save(obj)
        obj._prepare_related_fields_for_save(operation_name="insert_together")
    with_pk = {obj._is_pk_set() for obj in objs}
    if len(with_pk) > 1:
        raise ValueError("Either every row of a group has its id set in advance, or none does.")
    fields = [f for f in opts.concrete_fields if not f.generated]
    if with_pk == {False}:
        fields = [f for f in fields if not isinstance(f, models.AutoField)]
    key = (model, tuple(f.attname for f in fields), len(objs), returning)
    plannable = len(objs) <= MAX_PLANNED_ROWS
    plan = _plans.get(key) if plannable else None
    if isinstance(plan, _Plan):
        values = _values(objs, fields)
        if values is not None:
            return plan.sql, plan.params(values)
    query = InsertQuery(model)
    query.insert_values(fields, objs, raw=False)
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [opts.pk] if returning else None
    [(sql, params)] = compiler.as_sql()
    if plannable and (key not in _plans or isinstance(plan, _Candidate)):
        planned = _planned(plan, sql, params, objs, fields)
        if planned is not _NOTHING_LEARNT:
            _plans[key] = planned
    return sql, params


@dataclass(frozen=True)
class _Plan:
    sql: str
    by_column: bool

    def params(self, values: list[list]) -> list:
        if self.by_column:
            return [list(column) for column in zip(*values, strict=True)]
        return [value for row in values for value in row]


@dataclass(frozen=True)
class _Candidate:
    plan: _Plan


# A plan a number of rows: a concern's handful of steps and alerts, or a page's worth of events
# Python chains (on PostgreSQL audit_append writes most of those); an import's thousand rows
# are compiled each time, not kept.
MAX_PLANNED_ROWS = 64

# A key's plan; a _Candidate after one compilation; None: compiled every time.
_plans: dict[tuple, object] = {}
_NOTHING_LEARNT = object()


def _values(objs: list[models.Model], fields: list[models.Field]) -> list[list] | None:
    """Each row's values as the compiler would place them (pre_save, then get_db_prep_save), or
    None when one is an expression, which only the compiler can place."""
    rows = []
    for obj in objs:
        row = []
        for field in fields:
            value = field.pre_save(obj, add=True)
            if hasattr(value, "resolve_expression"):
                return None
            row.append(field.get_db_prep_save(value, connection))
        rows.append(row)
    return rows


def _planned(
    before: "_Candidate | None", sql: str, params: Sequence, objs: list, fields: list
) -> object:
    # What the compiler just placed: the fields' values as it left them on the rows (pre_save
    # has stamped them), prepared as it prepares them.
    values = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        for obj in objs
    ]
    if any(hasattr(v, "resolve_expression") for row in values for v in row):
        return _NOTHING_LEARNT
    layouts = [
        layout
        for layout in (_Plan(sql, False), _Plan(sql, True))
        if layout.params(values) == list(params)
    ]
    if not layouts:
        return None
    if before is None:
        return _Candidate(layouts[0])
    return before.plan if before.plan in layouts else None
