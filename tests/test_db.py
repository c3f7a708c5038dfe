"""esafety.db.insert_together: several tables' new rows in one statement on PostgreSQL."""

import pytest
from django.db import connection

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
