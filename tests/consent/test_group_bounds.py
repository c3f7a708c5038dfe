"""'May we use this?' and the lists are about at most GROUP_LIMIT pupils: a bigger year group
is answered a class at a time, so neither page grows with the school's size, and no answer is
ever given about part of a group."""

import pytest
from django.urls import reverse

from consent.models import Publication
from consent.views import publish
from tests.factories import PupilFactory, SchoolClassFactory

LIMIT = 4


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(publish, "GROUP_LIMIT", LIMIT)


def year_group(personas, n: int, year: str = "Year 6"):
    school_class = SchoolClassFactory(school=personas.school, name=f"{year} class")
    return [
        PupilFactory(
            school=personas.school,
            first_name=f"Big{year[-1]}{i}",
            last_name="Group",
            year_group=year,
            school_class=school_class,
        )
        for i in range(n)
    ]


def url(consent, name="consent:check", year="Year 6"):
    return reverse(name, args=[consent.school.code]) + (
        f"?purpose={consent.website.code.hex}&year_group={year.replace(' ', '+')}"
    )


@pytest.mark.parametrize("name", ["consent:check", "consent:lists"])
def test_a_year_group_over_the_limit_is_answered_a_class_at_a_time(
    personas, consent, client_for, small_limit, name
):
    year_group(personas, LIMIT + 1)
    html = client_for(personas.staff).get(url(consent, name)).content.decode()
    assert "choose one class at a time" in html
    assert 'data-testid="answer"' not in html and "Big6" not in html


def test_a_year_group_at_the_limit_is_answered_whole(personas, consent, client_for, small_limit):
    year_group(personas, LIMIT)
    html = client_for(personas.staff).get(url(consent)).content.decode()
    assert 'data-testid="answer"' in html and "choose one class at a time" not in html
    assert all(f"Big6{i} Group" in html for i in range(LIMIT))


def test_recording_a_use_of_more_than_the_limit_records_nothing(
    personas, consent, client_for, small_limit
):
    pupils = year_group(personas, LIMIT + 1)
    response = client_for(personas.staff).post(
        url(consent),
        {
            "purpose": consent.website.code.hex,
            "pupil": [p.code.hex for p in pupils],
            "title": "Sports day",
            "channel": "website",
            "published_on": "2026-06-01",
        },
    )
    assert response.status_code == 200
    assert "choose one class at a time" in response.content.decode()
    assert not Publication.objects.exists()


def test_the_check_of_a_big_year_group_asks_the_same_queries_at_two_sizes(
    personas, consent, client_for, small_limit, django_assert_num_queries
):
    client = client_for(personas.staff)
    year_group(personas, LIMIT + 1, "Year 5")
    client.get(url(consent, year="Year 5"))
    with _capture() as small:
        client.get(url(consent, year="Year 5"))
    year_group(personas, LIMIT * 5, "Year 4")
    with django_assert_num_queries(len(small)):
        html = client.get(url(consent, year="Year 4")).content.decode()
    assert "choose one class at a time" in html


def _capture():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    return CaptureQueriesContext(connection)
