"""esafety.db.insert_together: several tables' new rows in one statement on PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import Value

from esafety.db import insert_together
from esafety.people.models import Pupil
from tests.factories import PupilFactory


def test_it_inserts_every_group_and_gives_the_last_its_ids(personas, django_assert_num_queries):
    first = PupilFactory.build_batch(2, school=personas.school)
    last = PupilFactory.build_batch(3, school=personas.other_school)

    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        insert_together(first, [], last)

    saved = Pupil.objects.filter(school=personas.other_school).order_by("pk")
    assert [p.pk for p in last] == [p.pk for p in saved]
    assert [p.mis_id for p in last] == [p.mis_id for p in saved]
    assert {p.mis_id for p in Pupil.objects.filter(school=personas.school)} == {
        p.mis_id for p in first
    }
    assert not any(p._state.adding for p in first + last)


def test_it_does_nothing_for_no_rows(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        insert_together([], [])


@pytest.mark.postgres
def test_it_refuses_a_group_of_two_models_or_of_rows_with_and_without_ids(personas):
    pupil = PupilFactory.build(school=personas.school)
    with pytest.raises(TypeError):
        insert_together([pupil, personas.school], [PupilFactory.build(school=personas.school)])
    with_id = PupilFactory.build(school=personas.school, id=10_000)
    with pytest.raises(ValueError):
        insert_together([with_id, PupilFactory.build(school=personas.school)], [pupil])
    assert not Pupil.objects.exists()


def _compiled(objs, fields) -> tuple[str, list]:
    # What Django's own insert compiler sends for these rows: the plan's reference.
    from django.db.models.sql import InsertQuery

    query = InsertQuery(type(objs[0]))
    query.insert_values(fields, objs, raw=False)
    [(sql, params)] = query.get_compiler(connection=connection).as_sql()
    return sql, list(params)


@pytest.mark.postgres
def test_a_planned_insert_sends_what_the_compiler_would(personas):
    import datetime

    import time_machine
    from django.db import models

    from esafety import db

    fields = [
        f
        for f in Pupil._meta.concrete_fields
        if not f.generated and not isinstance(f, models.AutoField)
    ]
    at = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    for count in (1, 3):
        key = (Pupil, tuple(f.attname for f in fields), count, False)
        for _ in range(4):
            rows = PupilFactory.build_batch(count, school=personas.school)
            twins = [Pupil(**{f.attname: getattr(r, f.attname) for f in fields}) for r in rows]
            with time_machine.travel(at, tick=False):
                sql, params = db._insert_sql(rows, returning=False)
                assert (sql, list(params)) == _compiled(twins, fields)
        # The first two compilations agreed; the later inserts were filled in from the plan.
        assert isinstance(db._plans[key], db._Plan)
        assert db._plans[key].by_column == (count > 1)  # UNNEST for more than one row


@pytest.mark.postgres
def test_a_value_that_is_an_expression_is_compiled_every_time(personas):
    from django.db.models.functions import Upper

    from esafety import db

    def insert(first_name, mis_id):
        pupil = PupilFactory.build(school=personas.school, mis_id=mis_id)
        pupil.first_name = first_name
        # First of two groups: an INSERT of its own in the statement, not the one returning ids.
        insert_together([pupil], [PupilFactory.build(school=personas.school, mis_id=f"L{mis_id}")])

    insert(Upper(Value("bea")), "S0")  # tells the plan nothing
    for i in range(3):
        insert("ann", f"E{i}")
    key = next(k for k in db._plans if k[0] is Pupil and k[2] == 1 and not k[3])
    assert isinstance(db._plans[key], db._Plan)
    insert(Upper(Value("ann")), "S1")

    assert isinstance(db._plans[key], db._Plan)
    names = dict(Pupil.objects.values_list("mis_id", "first_name"))
    assert (names["S0"], names["S1"], names["E2"]) == ("BEA", "ANN", "ann")


def test_a_database_that_returns_no_ids_from_a_bulk_insert_gets_row_by_row(personas, monkeypatch):
    # An SQLite before 3.35: the fallback saves each row, so a later group's foreign key takes
    # an earlier group's new id.
    from esafety import db
    from esafety.people.models import Guardian

    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    pupil = PupilFactory.build(school=personas.school)
    guardian = Guardian(pupil=pupil, full_name="Pat Parent", email="pat@example.test")

    db._group_by_group([[pupil], [guardian]])

    assert Guardian.objects.get().pupil_id == pupil.pk
