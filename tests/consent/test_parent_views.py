"""The parent's page: their own children only, every purpose on one page, changed any time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consent.models import Decision, Method
from esafety.notify.models import Message
from esafety.people.models import Guardian
from tests.consent.conftest import born_years_ago, child_with_guardian
from tests.factories import GuardianFactory, PupilFactory


def url(school):
    return reverse("consent:mine", args=[school.code])


def post(client, consent, child, **choices):
    data = {"child": str(child.code)}
    for label, choice in choices.items():
        data[f"c{child.code.hex}-{consent.purposes[label].code.hex}"] = choice
    return client.post(url(consent.school), data)


def test_it_shows_every_purpose_for_each_of_their_children_only(
    personas, consent, family, client_for
):
    _stranger, _g = child_with_guardian(personas.school, first_name="Zed")
    response = client_for(personas.parent).get(url(personas.school))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ada Parent" in text and "Ben Parent" in text
    assert "Zed" not in text
    for purpose in consent.purposes.values():
        assert text.count(f">{purpose.label}<") >= 2  # once per child


def test_a_parent_grants_refuses_and_withdraws_and_each_is_a_new_decision(
    personas, consent, family, client_for
):
    ada, _ben = family
    client = client_for(personas.parent)
    response = post(
        client, consent, ada, **{"School website": "granted", "Press, with names": "refused"}
    )
    assert response.status_code == 302
    assert Decision.objects.filter(pupil=ada, method=Method.ONLINE).count() == 2
    post(client, consent, ada, **{"School website": "refused", "Press, with names": "refused"})
    # Only what changed is recorded; the earlier decision stays on record.
    assert list(
        Decision.objects.filter(pupil=ada, purpose=consent.website).values_list("choice", flat=True)
    ) == ["refused", "granted"]
    messages = Message.objects.filter(recipient=personas.parent)
    assert messages.count() == 2
    for m in messages:
        assert m.subject == "Your photo and video consent choices have changed"
        assert "Ada" not in m.subject + m.body
        assert m.link == url(personas.school)


@pytest.mark.parametrize("whose", ["another family", "another school", "left the school"])
def test_a_parent_cannot_decide_for_a_child_not_theirs(
    personas, consent, family, client_for, whose
):
    if whose == "another family":
        child, _g = child_with_guardian(personas.school)
    elif whose == "another school":
        child = PupilFactory(school=personas.other_school)
        GuardianFactory(pupil=child, email=personas.parent.email, user=personas.parent)
    else:
        child = family[0]
        child.left_date = datetime.date.today()
        child.save()
    response = post(client_for(personas.parent), consent, child, **{"School website": "granted"})
    assert response.status_code == 404
    assert not Decision.objects.filter(pupil=child).exists()


def test_a_guardian_without_parental_responsibility_is_not_shown_the_child(
    personas, consent, client_for
):
    child = PupilFactory(school=personas.school, first_name="Cleo")
    GuardianFactory(
        pupil=child,
        email=personas.parent.email,
        user=personas.parent,
        parental_responsibility=False,
    )
    client = client_for(personas.parent)
    assert "Cleo" not in client.get(url(personas.school)).content.decode()
    assert post(client, consent, child, **{"School website": "granted"}).status_code == 404


def test_an_unknown_choice_is_refused_and_nothing_is_saved(personas, consent, family, client_for):
    ada, _ben = family
    response = post(client_for(personas.parent), consent, ada, **{"School website": "maybe"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Decision.objects.exists()


def test_the_parent_is_not_told_that_their_child_is_marked(personas, consent, family, client_for):
    from consent.services.decisions import marking_set

    ada, _ben = family
    marking_set(actor=personas.dsl, pupil=ada, reason="SECRET-REASON")
    text = client_for(personas.parent).get(url(personas.school)).content.decode()
    assert "SECRET" not in text and "Do not photograph" not in text


def test_the_page_costs_the_same_queries_for_one_child_as_for_five(
    personas, consent, family, client_for, django_assert_num_queries
):
    client = client_for(personas.parent)
    client.get(url(personas.school))
    with CaptureQueriesContext(connection) as two:
        assert client.get(url(personas.school)).status_code == 200
    # Read now: the next request empties the connection's query log.
    queries = len(two)
    assert queries > 5
    for n in range(3):
        child = PupilFactory(school=personas.school, first_name=f"Extra{n}")
        GuardianFactory(pupil=child, email=personas.parent.email, user=personas.parent)
        post(client, consent, child, **{"School website": "granted", "Newsletter": "refused"})
    client.get(url(personas.school))  # shows (and so clears) the saved messages
    with django_assert_num_queries(queries):
        client.get(url(personas.school))


def test_a_pupils_own_decision_recorded_by_the_office_is_shown_to_the_parent(
    personas, consent, client_for
):
    teen = PupilFactory(school=personas.school, first_name="Tia", date_of_birth=born_years_ago(12))
    Guardian.objects.create(pupil=teen, email=personas.parent.email, user=personas.parent)
    pupil_page = reverse("consent:pupil", args=[personas.school.code, teen.code])
    office = client_for(personas.office)
    assert "The pupil, for themselves" in office.get(pupil_page).content.decode()
    response = office.post(
        pupil_page,
        {
            "purpose": consent.website.code.hex,
            "choice": "refused",
            "who": "pupil",
            "method": "in_person",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(pupil=teen)
    assert decision.by_pupil and decision.recorded_by == personas.office
    text = client_for(personas.parent).get(url(personas.school)).content.decode()
    assert "Tia's own decision: No" in text
    told = Message.objects.get(recipient=personas.parent)
    assert "Tia" not in told.subject + told.body
