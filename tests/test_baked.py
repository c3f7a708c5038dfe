"""Baked queries (esafety/baked): compiled once a shape, run with each request's values.

What must hold: the rows are the rows the ORM gives for the same values, for every shape a
member's access can take (the concern rule differs by role); one member's values never reach
another's rows; and a builder that would bake in something other than its shape fails when it
is baked, not later with someone else's answer. The concern rule's own queries are held to the
ORM's rows in tests/incidents/test_baked_rule.py.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esafety.baked import BakingError, Values, baked, stand_in
from esafety.people.models import Membership, Pupil, School

pytestmark = pytest.mark.postgres


@baked
def _members(shape, v):
    qs = Membership.objects.filter(school_id=v.school).order_by("id")
    if shape == "since":
        qs = qs.filter(created_at__gte=v.since)
    return qs.values("user__email", "role")


def test_it_gives_the_rows_the_orm_gives_for_each_values(personas):
    for school in (personas.school, personas.other_school):
        assert _members.rows(None, school=school.pk) == list(
            Membership.objects.filter(school=school).order_by("id").values("user__email", "role")
        )
    assert _members.rows(None, school=personas.school.pk, limit=2, offset=1) == (
        _members.unbaked(None, school=personas.school.pk, limit=2, offset=1)
    )
    later = timezone.now() + datetime.timedelta(days=1)
    assert _members.rows("since", school=personas.school.pk, since=later) == []


def test_it_runs_through_djangos_cursor_so_counters_see_it(personas):
    _members.rows(None, school=personas.school.pk)
    with CaptureQueriesContext(connection) as ctx:
        _members.rows(None, school=personas.other_school.pk)
    assert len(ctx.captured_queries) == 1
    assert str(personas.other_school.pk) in ctx.captured_queries[0]["sql"]


def test_a_tuple_of_values_is_a_plan_for_each_length(personas):
    @baked
    def schools(shape, v):
        return School.objects.filter(pk__in=v.ids).order_by("pk").values("urn")

    one, two = personas.school, personas.other_school
    assert schools.rows(None, ids=(one.pk,)) == [{"urn": one.urn}]
    assert schools.rows(None, ids=(two.pk, one.pk)) == [{"urn": one.urn}, {"urn": two.urn}]
    assert schools.rows(None, ids=()) == []


def test_it_refuses_a_builder_that_reads_the_database(personas):
    @baked
    def reads(shape, v):
        school = stand_in(School, v.school)
        return School.objects.filter(timezone=school.timezone).values("pk")

    with pytest.raises(BakingError, match="reads the database"):
        reads.rows(None, school=personas.school.pk)


def test_it_refuses_a_builder_that_works_a_parameter_out_from_a_value(personas):
    @baked
    def shifted(shape, v):
        return School.objects.filter(pk=v.school + 1).values("pk")

    with pytest.raises(BakingError, match="worked out from a value"):
        shifted.rows(None, school=personas.school.pk)


def test_it_refuses_a_value_that_does_not_reach_the_sql_as_itself(personas):
    @baked
    def searched(shape, v):
        return School.objects.filter(name__icontains=v.name).values("pk")

    with pytest.raises(BakingError):
        searched.rows(None, name="Oak")


def test_it_refuses_an_sql_that_changes_with_the_values(personas):
    @baked
    def longer(shape, v):
        # Django writes a slice into the SQL: here its length is worked out from a value.
        return School.objects.order_by("pk").values("pk")[: v.n % 7 + 1]

    with pytest.raises(BakingError, match="SQL changes"):
        longer.rows(None, n=personas.school.pk)


def test_it_refuses_empty_and_flag_values_which_are_shape(personas):
    with pytest.raises(BakingError, match="is shape"):
        _members.rows(None, school="")
    with pytest.raises(BakingError, match="shape"):
        _members.rows("since", school=personas.school.pk, since=None)


def test_the_builders_get_only_stand_ins(db):
    seen = []

    @baked
    def records(shape, v: Values):
        seen.append(v.school)
        return School.objects.filter(pk=v.school).values("pk")

    assert records.rows(None, school=10**6) == []
    assert len(seen) == 2 and all(s < 0 for s in seen)
    assert records.rows(None, school=10**6 + 1) == []
    assert len(seen) == 2  # baked once


def test_it_makes_instances_with_their_related_rows_as_select_related_would(personas):
    from esafety.baked import fields_of
    from tests.factories import PupilFactory

    with_class = PupilFactory(school=personas.school)
    without = PupilFactory(school=personas.school, school_class=None)
    related = ("school", "school_class")

    @baked
    def pupils(shape, v):
        return (
            Pupil.objects.filter(school_id=v.school)
            .order_by("id")
            .values(*fields_of(Pupil, related))
        )

    made = pupils.objects(Pupil, None, related=related, school=personas.school.pk)
    expected = list(
        Pupil.objects.filter(school=personas.school).select_related(*related).order_by("id")
    )
    assert [p.pk for p in made] == [p.pk for p in expected] == [with_class.pk, without.pk]
    with CaptureQueriesContext(connection) as ctx:
        for got, want in zip(made, expected, strict=True):
            assert got.first_name == want.first_name and got.school.name == personas.school.name
            assert got.school_class == want.school_class
            assert not got._state.adding
    assert made[1].school_class is None
    assert ctx.captured_queries == []


def test_a_long_tuple_runs_as_a_queryset_so_plans_stay_few(personas):
    from esafety.baked import MAX_ITEMS

    @baked
    def schools(shape, v):
        return School.objects.filter(pk__in=v.ids).order_by("pk").values("pk")

    many = (*range(10**6, 10**6 + MAX_ITEMS), personas.school.pk)
    assert schools.rows(None, ids=many) == [{"pk": personas.school.pk}]
    assert schools._plans == {}
    assert schools.rows(None, ids=(personas.school.pk,)) == [{"pk": personas.school.pk}]
    assert len(schools._plans) == 1
