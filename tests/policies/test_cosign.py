"""Parents accept their own AUP and co-sign each child's: two records, only their own children."""

import pytest
from django.urls import reverse

from esafety.people.models import Guardian
from policies.models import Acceptance, AcceptanceKind, Audience
from tests.factories import PupilFactory

PARENT_NAME = "Pat Parent"


@pytest.fixture
def aups(publish):
    """The parents' AUP and the pupils' AUPs for key stages 1 and 2."""
    return (
        publish([Audience.PARENTS], title="Parents' AUP", body="Support your child online."),
        publish([Audience.PUPILS_KS2], title="KS2 pupils' AUP", body="I ask before I click."),
        publish([Audience.PUPILS_KS1], title="KS1 pupils' AUP", body="I tell a grown-up."),
    )


def accept_url(personas) -> str:
    return reverse("policies:accept", args=[personas.school.code])


def cosign(client, personas, version, pupil_code, **data):
    return client.post(
        accept_url(personas),
        {
            "version": version.code,
            "pupil": pupil_code,
            "agree": "on",
            "typed_name": PARENT_NAME,
            **data,
        },
        HTTP_USER_AGENT="Phone browser",
    )


def test_it_shows_the_parents_aup_and_each_childs_aup_by_key_stage(
    personas, client_for, aups, children
):
    parents, ks2, ks1 = aups
    ada, ben, _other = children
    r = client_for(personas.parent).get(accept_url(personas))
    assert [i.version for i in r.context["own"]] == [parents]
    cosign_items = {i.version: [cf.child for cf in i.children] for i in r.context["cosign"]}
    assert cosign_items == {ks2: [ada], ks1: [ben]}
    assert b"Co-sign for Ada" in r.content
    assert b"Co-sign for Ben" in r.content
    assert b"Cleo" not in r.content
    assert b"I ask before I click." in r.content


def test_it_keeps_the_parents_acceptance_and_each_cosign_as_separate_records(
    personas, client_for, aups, children
):
    parents, ks2, ks1 = aups
    ada, ben, _other = children
    client = client_for(personas.parent)
    client.post(
        accept_url(personas),
        {"version": parents.code, "agree": "on", "typed_name": PARENT_NAME},
    )
    cosign(client, personas, ks2, ada.code)
    cosign(client, personas, ks1, ben.code)
    own = Acceptance.objects.get(kind=AcceptanceKind.OWN)
    assert (own.version, own.user, own.pupil) == (parents, personas.parent, None)
    signed = {
        (a.version, a.pupil)
        for a in Acceptance.objects.filter(kind=AcceptanceKind.COSIGN, user=personas.parent)
    }
    assert signed == {(ks2, ada), (ks1, ben)}
    r = client.get(accept_url(personas))
    assert r.context["own"] == [] and r.context["cosign"] == []
    assert b"co-signed for Ada" in r.content


@pytest.mark.parametrize("whose", ["someone_elses_child", "other_school", "not_a_pupil"])
def test_it_refuses_to_cosign_for_a_child_who_is_not_theirs(
    personas, client_for, aups, children, whose
):
    _parents, ks2, _ks1 = aups
    if whose == "someone_elses_child":
        code = children[2].code  # Cleo: same school, same year, another family
    elif whose == "other_school":
        pupil = PupilFactory(school=personas.other_school, year_group="Year 5")
        Guardian.objects.create(pupil=pupil, email=personas.parent.email, user=personas.parent)
        code = pupil.code
    else:
        code = "not-a-code"
    r = cosign(client_for(personas.parent), personas, ks2, code)
    assert r.status_code == 404
    assert not Acceptance.objects.exists()


def test_it_refuses_a_staff_member_who_tries_to_cosign_a_pupil(
    personas, client_for, aups, children
):
    _parents, ks2, _ks1 = aups
    r = cosign(client_for(personas.staff), personas, ks2, children[0].code)
    assert r.status_code == 404
    assert not Acceptance.objects.exists()


def test_it_refuses_the_aup_of_another_key_stage(personas, client_for, aups, children):
    _parents, _ks2, ks1 = aups
    client = client_for(personas.parent)
    r = cosign(client, personas, ks1, children[0].code)  # Ada is in Year 5
    assert r.status_code == 302
    assert not Acceptance.objects.exists()
    page = client.get(accept_url(personas))
    assert b"not the one for your child&#x27;s year group" in page.content


def test_it_records_a_double_cosign_once(personas, client_for, aups, children):
    _parents, ks2, _ks1 = aups
    client = client_for(personas.parent)
    cosign(client, personas, ks2, children[0].code)
    cosign(client, personas, ks2, children[0].code)
    assert Acceptance.objects.filter(kind=AcceptanceKind.COSIGN).count() == 1


def test_it_names_the_child_in_what_to_fix(personas, client_for, aups, children):
    _parents, ks2, _ks1 = aups
    r = cosign(client_for(personas.parent), personas, ks2, children[0].code, agree="")
    assert r.status_code == 200
    assert b"Tick the box to co-sign the agreement for Ada." in r.content
    assert r.context["error_anchor"] == f"cosign-{ks2.code.hex}-{children[0].code.hex}"
    assert not Acceptance.objects.exists()


def test_it_shows_on_the_parents_home_what_is_outstanding_for_each_child(
    personas, client_for, aups, children
):
    _parents, ks2, _ks1 = aups
    ada, _ben, _other = children
    client = client_for(personas.parent)
    home = reverse("people:school_home", args=[personas.school.code])
    r = client.get(home)
    assert b"Ada: <strong>to co-sign</strong> KS2 pupils&#x27; AUP" in r.content
    assert b"Ben: <strong>to co-sign</strong> KS1 pupils&#x27; AUP" in r.content
    cosign(client, personas, ks2, ada.code)
    r = client.get(home)
    assert b"Ada: all agreements co-signed" in r.content
    assert b"Ben: <strong>to co-sign</strong> KS1 pupils&#x27; AUP" in r.content
