"""A class teacher records the in-class AUP sign-off."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esafety.audit.models import AuditEvent
from policies.models import Acceptance, AcceptanceKind, Audience, Method
from tests.factories import PupilFactory, SchoolClassFactory


@pytest.fixture
def oak(personas):
    """Oak class (Year 5), taught by the staff persona, with three pupils on roll and a leaver."""
    school_class = SchoolClassFactory(
        school=personas.school, name="Oak", year_group="Year 5", teacher=personas.staff
    )
    pupils = [
        PupilFactory(school=personas.school, school_class=school_class, first_name=name)
        for name in ("Ada", "Bea", "Cal")
    ]
    PupilFactory(
        school=personas.school, school_class=school_class, first_name="Gone", left_date="2025-07-20"
    )
    return school_class, pupils


@pytest.fixture
def ks2(publish):
    return publish([Audience.PUPILS_KS2], title="KS2 pupils' AUP", body="I ask before I click.")


def signoff_url(personas, school_class=None) -> str:
    url = reverse("policies:class_signoff", args=[personas.school.code])
    return f"{url}?class={school_class.code}" if school_class else url


def sign_off(client, personas, school_class, version, pupils, method=Method.IN_CLASS):
    return client.post(
        signoff_url(personas),
        {
            "class": school_class.code,
            "version": version.code,
            "pupils": [p.code for p in pupils],
            "method": method,
        },
    )


def test_it_lists_only_the_classes_a_teacher_teaches(personas, client_for, oak):
    school_class, _pupils = oak
    SchoolClassFactory(school=personas.school, name="Elm", teacher=personas.office)
    r = client_for(personas.staff).get(signoff_url(personas))
    assert [c.name for c in r.context["classes"]] == ["Oak"]
    assert f"?class={school_class.code}".encode() in r.content


@pytest.mark.parametrize("who", ["head", "online_safety_lead"])
def test_it_lists_every_class_for_the_head_and_the_online_safety_lead(
    personas, client_for, oak, who
):
    SchoolClassFactory(school=personas.school, name="Elm")
    r = client_for(getattr(personas, who)).get(signoff_url(personas))
    assert [c.name for c in r.context["classes"]] == ["Elm", "Oak"]
    assert client_for(getattr(personas, who)).get(signoff_url(personas, oak[0])).status_code == 200


def test_it_tells_a_member_of_staff_with_no_class_whom_to_ask(personas, client_for, oak):
    r = client_for(personas.dsl).get(signoff_url(personas))
    assert b"No class is assigned to you." in r.content


def test_it_shows_the_pupils_on_roll_with_a_tick_each_and_their_aup(personas, client_for, oak, ks2):
    school_class, pupils = oak
    r = client_for(personas.staff).get(signoff_url(personas, school_class))
    assert r.status_code == 200
    (group,) = r.context["groups"]
    assert group.version == ks2
    assert [row.pupil for row in group.rows] == pupils  # not the leaver
    for pupil in pupils:
        assert f'value="{pupil.code}"'.encode() in r.content
    assert b"Gone" not in r.content
    assert b"I ask before I click." in r.content


def test_it_records_each_ticked_pupil_once_and_shows_them_as_done(personas, client_for, oak, ks2):
    school_class, (ada, bea, cal) = oak
    client = client_for(personas.staff)
    r = sign_off(client, personas, school_class, ks2, [ada, bea])
    assert r.status_code == 302 and r["Location"] == signoff_url(personas, school_class)
    signed = Acceptance.objects.filter(kind=AcceptanceKind.PUPIL)
    assert {a.pupil for a in signed} == {ada, bea}
    assert {(a.method, a.recorded_by, a.version) for a in signed} == {
        (Method.IN_CLASS, personas.staff, ks2)
    }
    page = client.get(signoff_url(personas, school_class))
    assert b"Sign-off recorded for 2 pupils of Oak." in page.content
    rows = {row.pupil: row.done for row in page.context["groups"][0].rows}
    assert rows[ada] and rows[bea] and rows[cal] is None
    assert f'value="{ada.code}"'.encode() not in page.content
    assert f'value="{cal.code}"'.encode() in page.content
    # Ada again (a stale page), now with Cal: Ada is not a choice any more, nothing is saved.
    r = sign_off(client, personas, school_class, ks2, [ada, cal])
    assert r.status_code == 200
    assert signed.count() == 2


def test_it_records_a_paper_sign_off(personas, client_for, oak, ks2):
    school_class, pupils = oak
    sign_off(client_for(personas.staff), personas, school_class, ks2, pupils, Method.PAPER)
    assert set(Acceptance.objects.values_list("method", flat=True)) == {Method.PAPER}
    assert AuditEvent.objects.filter(action="acceptance.pupil_signed_off").count() == 3


def test_it_says_what_to_fix_when_nobody_is_ticked(personas, client_for, oak, ks2):
    school_class, _pupils = oak
    r = sign_off(client_for(personas.staff), personas, school_class, ks2, [])
    assert r.status_code == 200
    assert b"Tick at least one pupil who signed the agreement." in r.content
    assert not Acceptance.objects.exists()


def test_it_refuses_a_pupil_of_another_class(personas, client_for, oak, ks2):
    school_class, _pupils = oak
    stranger = PupilFactory(school=personas.school, first_name="Stray")
    r = sign_off(client_for(personas.staff), personas, school_class, ks2, [stranger])
    assert r.status_code == 200
    assert not Acceptance.objects.exists()


@pytest.mark.parametrize("which", ["another_teachers", "other_school", "malformed"])
def test_it_answers_404_for_a_class_that_is_not_theirs(personas, client_for, oak, ks2, which):
    if which == "another_teachers":
        code = SchoolClassFactory(school=personas.school, teacher=personas.office).code
    elif which == "other_school":
        code = SchoolClassFactory(school=personas.other_school, teacher=personas.staff).code
    else:
        code = "nope"
    client = client_for(personas.staff)
    url = reverse("policies:class_signoff", args=[personas.school.code])
    assert client.get(url, {"class": code}).status_code == 404
    r = client.post(url, {"class": code, "version": ks2.code, "pupils": [oak[1][0].code]})
    assert r.status_code == 404
    assert not Acceptance.objects.exists()


def test_it_answers_404_for_an_agreement_that_is_not_this_classs(
    personas, client_for, oak, ks2, publish
):
    ks1 = publish([Audience.PUPILS_KS1], title="KS1 pupils' AUP")
    school_class, pupils = oak
    r = sign_off(client_for(personas.staff), personas, school_class, ks1, pupils)
    assert r.status_code == 404
    assert not Acceptance.objects.exists()


def test_it_groups_a_mixed_class_by_key_stage(personas, client_for, oak, ks2):
    school_class, _pupils = oak
    PupilFactory(
        school=personas.school, school_class=school_class, first_name="Yan", year_group="Year 2"
    )
    r = client_for(personas.staff).get(signoff_url(personas, school_class))
    groups = {g.audience: g for g in r.context["groups"]}
    assert groups[Audience.PUPILS_KS2].version == ks2
    assert groups[Audience.PUPILS_KS1].version is None
    assert b"There is no published agreement for these pupils yet" in r.content


@pytest.mark.parametrize("size", [3, 30])
def test_it_reads_the_class_in_constant_queries(personas, client_for, ks2, size):
    school_class = SchoolClassFactory(school=personas.school, teacher=personas.staff)
    PupilFactory.create_batch(size, school=personas.school, school_class=school_class)
    client = client_for(personas.staff)
    client.get(signoff_url(personas, school_class))
    with CaptureQueriesContext(connection) as captured:
        r = client.get(signoff_url(personas, school_class))
    assert len(r.context["groups"][0].rows) == size
    # Session, user, memberships; classes; pupils; published AUPs; sign-offs.
    assert len(captured) == 7
