"""Finding the pupils a concern is about on the log page, with and without JavaScript."""

import datetime

import pytest
from django.urls import reverse

from incidents.models import ConcernPupil
from tests.access_table import EMPLOYED
from tests.factories import PupilFactory, SchoolClassFactory
from tests.incidents.helpers import csrf_checking_client, form_data, new_url, nothing_saved


def search_url(personas) -> str:
    return reverse("incidents:pupil_search", args=[personas.school.code])


@pytest.fixture
def roll(personas):
    school = personas.school
    five_b = SchoolClassFactory(school=school, name="5B")
    return {
        "zeph": PupilFactory(
            school=school,
            first_name="Zephyrine",
            last_name="Quarterbridge",
            year_group="Year 5",
            school_class=five_b,
        ),
        "zeb": PupilFactory(school=school, first_name="Zebedee", last_name="Abbott"),
        "left": PupilFactory(
            school=school,
            first_name="Zeno",
            last_name="Leaver",
            on_roll_date=datetime.date(2020, 9, 1),
            left_date=datetime.date(2024, 7, 19),
        ),
        "elsewhere": PupilFactory(
            school=personas.other_school, first_name="Zephyr", last_name="Outsider"
        ),
    }


def test_it_finds_this_schools_pupils_on_roll_by_part_of_a_name(personas, client_for, roll):
    r = client_for(personas.staff).post(search_url(personas), {"q": "ze"})
    assert r.status_code == 200
    assert r["Cache-Control"] == "private, no-store"
    assert r.json() == {
        "pupils": [
            {
                "code": str(roll["zeb"].code),
                "name": "Zebedee Abbott",
                "year": "Year 5",
                "class": "",
            },
            {
                "code": str(roll["zeph"].code),
                "name": "Zephyrine Quarterbridge",
                "year": "Year 5",
                "class": "5B",
            },
        ]
    }
    r = client_for(personas.office).post(search_url(personas), {"q": "quart"})
    assert [p["name"] for p in r.json()["pupils"]] == ["Zephyrine Quarterbridge"]


def test_it_lists_at_most_ten_pupils(personas, client_for):
    for n in range(12):
        PupilFactory(school=personas.school, first_name=f"Sam{n}", last_name="Smith")
    r = client_for(personas.staff).post(search_url(personas), {"q": "smith"})
    assert len(r.json()["pupils"]) == 10


def test_it_lists_nobody_for_fewer_than_two_letters(personas, client_for, roll):
    for q in ("", "z", " z "):
        r = client_for(personas.staff).post(search_url(personas), {"q": q})
        assert r.json() == {"pupils": []}


@pytest.mark.parametrize("role", sorted(EMPLOYED))
def test_it_lets_every_employed_role_search(personas, client_for, roll, role):
    r = client_for(personas.for_role(role)).post(search_url(personas), {"q": "zeph"})
    assert [p["name"] for p in r.json()["pupils"]] == ["Zephyrine Quarterbridge"]


@pytest.mark.parametrize("who,status", [("governor", 403), ("parent", 403), ("other_dsl", 404)])
def test_it_refuses_the_search_to_others(personas, client_for, roll, who, status):
    r = client_for(getattr(personas, who)).post(search_url(personas), {"q": "zeph"})
    assert r.status_code == status
    assert b"Quarterbridge" not in r.content


def test_it_never_takes_the_name_in_the_address(personas, client_for, roll):
    # A GET puts the name in the query string, and so in the server's access log.
    r = client_for(personas.staff).get(search_url(personas), {"q": "zeph"})
    assert r.status_code == 405
    assert b"Quarterbridge" not in r.content


def test_the_search_needs_the_forms_csrf_token(personas, roll):
    client = csrf_checking_client(personas.staff)
    assert client.post(search_url(personas), {"q": "zeph"}).status_code == 403
    token = str(client.get(new_url(personas)).context["csrf_token"])
    r = client.post(search_url(personas), {"q": "zeph"}, headers={"X-CSRFToken": token})
    assert [p["name"] for p in r.json()["pupils"]] == ["Zephyrine Quarterbridge"]


def test_it_finds_pupils_without_javascript_and_keeps_what_was_typed(personas, client_for, roll):
    client = client_for(personas.staff)
    data = form_data(roll["zeb"], what_happened="Typed before searching.", immediate_risk="on")
    data[f"role_{roll['zeb'].code}"] = "alleged"
    r = client.post(new_url(personas), {**data, "find": "1", "pupil_query": "zeph"})
    assert r.status_code == 200
    # The pupil found is offered (not yet ticked); the one chosen before keeps its role.
    assert r.context["results"] == [roll["zeph"]]
    assert r.context["chosen"] == [(roll["zeb"], "alleged")]
    html = r.content.decode()
    assert "Typed before searching." in html
    assert "Call 999 now" in html
    assert f'id="pupil-{roll["zeph"].code}">' in html  # offered, unticked
    assert f'id="pupil-{roll["zeb"].code}" checked>' in html
    # Nothing judged, nothing saved.
    assert not r.context["form"].is_bound
    assert "There is a problem" not in html
    nothing_saved()

    # Ticking the pupil found and sending the form logs it with both pupils.
    data["pupil"].append(str(roll["zeph"].code))
    data[f"role_{roll['zeph'].code}"] = "affected"
    r = client.post(new_url(personas), data)
    assert r.status_code == 302
    assert {(link.pupil, link.role) for link in ConcernPupil.objects.all()} == {
        (roll["zeb"], "alleged"),
        (roll["zeph"], "affected"),
    }


def test_it_never_offers_another_schools_or_a_leavers_name_without_javascript(
    personas, client_for, roll
):
    r = client_for(personas.staff).post(
        new_url(personas), {**form_data(), "find": "1", "pupil_query": "ze"}
    )
    assert set(r.context["results"]) == {roll["zeph"], roll["zeb"]}
    html = r.content.decode()
    assert "Outsider" not in html
    assert "Leaver" not in html
