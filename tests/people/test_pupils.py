"""The pupil list: search, pupils on roll only, this school's pupils only, constant queries."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import PupilFactory, SchoolClassFactory


def pupils_url(personas) -> str:
    return reverse("people:pupil_list", args=[personas.school.code])


def listed(response) -> set:
    return set(response.context["page"].object_list)


@pytest.fixture
def roll(personas):
    school = personas.school
    return {
        "ada": PupilFactory(school=school, first_name="Ada", last_name="Lovelace", mis_id="A100"),
        "alan": PupilFactory(school=school, first_name="Alan", last_name="Turing", mis_id="A200"),
        "grace": PupilFactory(school=school, first_name="Grace", last_name="Hopper", mis_id="A300"),
        "left": PupilFactory(
            school=school,
            first_name="Adam",
            last_name="Leaver",
            mis_id="A400",
            on_roll_date=datetime.date(2020, 9, 1),
            left_date=datetime.date(2024, 7, 19),
        ),
        # Another school's pupil who would match every search below.
        "elsewhere": PupilFactory(
            school=personas.other_school, first_name="Ada", last_name="Turing", mis_id="A100"
        ),
    }


def test_it_lists_the_pupils_on_roll(personas, client_for, roll):
    r = client_for(personas.office).get(pupils_url(personas))
    assert r.status_code == 200
    assert listed(r) == {roll["ada"], roll["alan"], roll["grace"]}
    assert b"Leaver" not in r.content
    assert r.context["page"].paginator.count == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ada", {"ada"}),
        ("TURING", {"alan"}),
        ("a200", {"alan"}),
        ("a", {"ada", "alan", "grace"}),  # every word is a substring of a name
        ("ada lovelace", {"ada"}),  # every word must match
        ("ada turing", set()),  # only another school's pupil is both
        ("leaver", set()),  # off roll
        ("A400", set()),
        ("  ", {"ada", "alan", "grace"}),
    ],
)
def test_it_searches_names_and_mis_ids(personas, client_for, roll, query, expected):
    r = client_for(personas.dsl).get(pupils_url(personas), {"q": query})
    assert r.status_code == 200
    assert listed(r) == {roll[name] for name in expected}


def test_it_refuses_an_overlong_search(personas, client_for, roll):
    r = client_for(personas.office).get(pupils_url(personas), {"q": "ada " * 30})
    assert r.status_code == 200
    assert "q" in r.context["form"].errors
    assert listed(r) == {roll["ada"], roll["alan"], roll["grace"]}


def test_it_never_shows_another_schools_pupils(personas, client_for, roll):
    for user in (personas.office, personas.head, personas.dsl, personas.deputy_dsl):
        r = client_for(user).get(pupils_url(personas), {"q": "A100"})
        assert listed(r) == {roll["ada"]}
    r = client_for(personas.other_dsl).get(pupils_url(personas))
    assert r.status_code == 404


def test_it_keeps_the_search_in_the_page_links(personas, client_for):
    for n in range(55):
        PupilFactory(school=personas.school, first_name=f"Kit{n}", last_name="Smith & Co")
    r = client_for(personas.office).get(pupils_url(personas), {"q": "smith & co"})
    assert r.context["page"].paginator.count == 55
    assert b'href="?q=smith+%26+co&amp;page=2"' in r.content


@pytest.mark.parametrize("size", [3, 60])
def test_it_reads_the_list_in_constant_queries(
    personas, client_for, django_assert_num_queries, size
):
    school_class = SchoolClassFactory(school=personas.school, name="Oak")
    PupilFactory.create_batch(size, school=personas.school, school_class=school_class, sen=True)
    client = client_for(personas.dsl)
    client.get(pupils_url(personas))  # the first request after sign-in starts the idle clock
    # session, user, memberships, TOTP check, count, page of pupils (with their classes)
    with django_assert_num_queries(6):
        r = client.get(pupils_url(personas))
    assert r.status_code == 200
    assert len(r.context["page"].object_list) == min(size, 50)
    assert r.content.count(b"Oak") >= min(size, 50)


def test_the_year_groups_on_roll_are_this_schools_each_once_in_school_order(db):
    from esafety.people.selectors import year_groups_on_roll
    from tests.factories import SchoolFactory

    school, other = SchoolFactory(), SchoolFactory()
    for year in ["Year 10", "Year 2", "Reception", "Year 2", "Nursery", "", "Year 1", "Year 10"]:
        PupilFactory(school=school, year_group=year)
    PupilFactory(
        school=school,
        year_group="Year 13",
        on_roll_date=datetime.date(2018, 9, 1),
        left_date=datetime.date(2024, 7, 19),
    )
    PupilFactory(school=other, year_group="Year 7")

    # Nobody who has left, no blank, nothing of another school's; Year 2 before Year 10.
    assert year_groups_on_roll(school) == ["Nursery", "Reception", "Year 1", "Year 2", "Year 10"]
    assert year_groups_on_roll(SchoolFactory()) == []
