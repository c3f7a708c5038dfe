"""The school's purposes, settings and consent form: defaults on first use, then the school's."""

from django.urls import reverse

from consent.models import ConsentSettings, FormVersion, LawfulBasis, Purpose
from consent.services.setup import DEFAULT_PURPOSES
from esafety.audit.models import AuditEvent


def url(personas):
    return reverse("consent:purposes", args=[personas.school.code])


def test_the_first_visit_gives_the_school_the_primary_defaults_once(personas, client_for):
    client = client_for(personas.office)
    assert client.get(url(personas)).status_code == 200
    client.get(url(personas))
    purposes = Purpose.objects.filter(school=personas.school)
    assert purposes.count() == len(DEFAULT_PURPOSES)
    assert set(purposes.values_list("lawful_basis", flat=True)) == {
        LawfulBasis.CONSENT,
        LawfulBasis.PUBLIC_TASK,
    }
    assert purposes.get(label="Press, with names").names_allowed
    assert FormVersion.objects.filter(school=personas.school).count() == 1
    assert AuditEvent.objects.filter(action="consent.setup").count() == 1
    assert not Purpose.objects.filter(school=personas.other_school).exists()


def test_the_office_adds_and_changes_a_purpose(personas, consent, client_for):
    client = client_for(personas.office)
    form = {
        "form": "purpose",
        "label": "Local radio",
        "explanation": "Recordings for the local radio station.",
        "lawful_basis": "consent",
        "order": "95",
        "is_active": "on",
    }
    assert client.post(url(personas), form).status_code == 302
    radio = Purpose.objects.get(school=personas.school, label="Local radio")
    again = client.post(url(personas), form)
    assert "already a purpose with this name" in again.content.decode()
    edit = reverse("consent:purpose_edit", args=[personas.school.code, radio.code])
    response = client.post(
        edit,
        {
            "label": "Local radio and podcasts",
            "explanation": "Recordings for local radio.",
            "lawful_basis": "legitimate_interests",
            "order": "95",
        },
    )
    assert response.status_code == 302
    radio.refresh_from_db()
    assert (radio.label, radio.lawful_basis, radio.is_active) == (
        "Local radio and podcasts",
        "legitimate_interests",
        False,
    )


def test_the_settings_and_a_new_consent_form(personas, consent, client_for):
    client = client_for(personas.head)
    bad = client.post(url(personas), {"form": "settings", "own_decision_age": "40"})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    client.post(
        url(personas), {"form": "settings", "own_decision_age": "13", "renew_each_year": "on"}
    )
    settings = ConsentSettings.objects.get(school=personas.school)
    assert (settings.own_decision_age, settings.renew_each_year) == (13, True)
    client.post(url(personas), {"form": "text", "text": "A new consent form for the new year."})
    assert (
        FormVersion.objects.filter(school=personas.school).order_by("-number").first().number == 2
    )


def test_a_purpose_of_another_school_is_a_404(personas, consent, client_for):
    from consent.services.setup import consent_setup

    consent_setup(school=personas.other_school)
    theirs = Purpose.objects.filter(school=personas.other_school).first()
    edit = reverse("consent:purpose_edit", args=[personas.school.code, theirs.code])
    assert client_for(personas.office).get(edit).status_code == 404
