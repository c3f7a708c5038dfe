"""The public policies page: no sign-in, published public versions only, stable addresses."""

import uuid

import pytest
from django.urls import reverse

from policies.models import Audience
from policies.services.library import (
    policy_create,
    version_approve,
    version_create,
    version_publish,
    version_retire,
)
from tests.policies.conftest import publish_version


def public(name: str, school, *args) -> str:
    return reverse(f"policies:{name}", args=[school.code, *args])


@pytest.fixture
def library(personas, publish):
    """A published public AUP at version 2 (version 1 retired, version 3 in draft), a private
    policy, and a public policy with nothing published yet."""
    aup = publish([Audience.PARENTS], title="Parents' AUP", body="Version one text.")
    current = publish_version(personas, aup.policy, "2", body="Version two text.")
    version_create(actor=personas.head, policy=aup.policy, number="3", body="Draft three text.")
    private = publish([Audience.STAFF], title="Staff disciplinary annex", body="Private text.")
    private.policy.is_public = False
    private.policy.save()
    unpublished = policy_create(
        actor=personas.head,
        school=personas.school,
        title="Mobile phones policy",
        kind="mobile_phones",
        owner=personas.head,
        audiences=[Audience.STAFF],
        requires_acceptance=False,
    )
    version_create(actor=personas.head, policy=unpublished, number="1", body="Soon.")
    return {"current": current, "private": private, "unpublished": unpublished}


def test_it_lists_the_published_public_policies_without_sign_in(client, personas, library):
    response = client.get(public("public_list", personas.school))
    assert response.status_code == 200
    assert [v.number for v in response.context["versions"]] == ["2"]
    html = response.content.decode()
    assert "Oakfield Primary" in html and "Parents&#x27; AUP" in html
    assert "Staff disciplinary annex" not in html and "Mobile phones policy" not in html
    assert public("public_policy", personas.school, library["current"].policy.code) in html
    assert public("public_pdf", personas.school, library["current"].policy.code) in html


def test_it_shows_the_current_version_at_the_policys_stable_address(client, personas, library):
    policy = library["current"].policy
    response = client.get(public("public_policy", personas.school, policy.code))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Version two text." in html
    # Neither the retired version nor the draft after it.
    assert "Version one text." not in html and "Draft three text." not in html
    # Staff names stay inside the app: the public page says which body approved it.
    assert "Hal Head" not in html and "Olu Safety" not in html

    v3 = policy.versions.get(number="3")
    version_approve(
        actor=personas.head, version=v3, approved_by_body="head", approved_on=v3.created_at.date()
    )
    version_publish(actor=personas.head, version=v3)
    html = client.get(public("public_policy", personas.school, policy.code)).content.decode()
    assert "Draft three text." in html and "Version two text." not in html


def test_it_shows_the_body_only_through_the_sanitiser(client, personas, publish):
    version = publish(
        [Audience.PARENTS],
        body="Hello <script>alert('x')</script><a href='javascript:alert(1)'>y</a>",
    )
    html = client.get(public("public_policy", personas.school, version.policy.code))
    html = html.content.decode()
    assert "Hello" in html
    assert "alert(" not in html and "javascript:" not in html


@pytest.mark.parametrize("which", ["private", "unpublished", "retired", "unknown"])
def test_it_answers_404_for_what_is_not_public(client, personas, library, which):
    if which == "retired":
        version_retire(actor=personas.head, version=library["current"])
        code = library["current"].policy.code
    elif which == "unknown":
        code = uuid.uuid4()
    else:
        code = getattr(library[which], "policy", library[which]).code
    assert client.get(public("public_policy", personas.school, code)).status_code == 404
    assert client.get(public("public_pdf", personas.school, code)).status_code == 404


def test_it_answers_404_for_an_unknown_school_or_another_schools_policy(client, personas, library):
    nowhere = reverse("policies:public_list", args=[uuid.uuid4()])
    assert client.get(nowhere).status_code == 404
    policy = library["current"].policy
    response = client.get(public("public_policy", personas.other_school, policy.code))
    assert response.status_code == 404
    other = client.get(public("public_list", personas.other_school))
    assert other.status_code == 200
    assert list(other.context["versions"]) == []


def test_it_serves_the_current_version_as_a_pdf(client, personas, library):
    policy = library["current"].policy
    response = client.get(public("public_pdf", personas.school, policy.code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="parents-aup-v2.pdf"'
    assert response.content.startswith(b"%PDF")
