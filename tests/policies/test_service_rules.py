"""The policies' rules live in the services, so every caller meets them (not only the page that
used to check them): a governors' approval names its meeting; a review falls after the version
takes effect; only the class teacher records an in-class sign-off. Each is tested by calling the
service, then through the page, which shows the service's own message beside its field."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from esafety.people.selectors import school_classes
from policies.models import Acceptance, ApprovedBy, Audience, PolicyVersion, VersionStatus
from policies.selectors import accept as accept_selectors
from policies.services.acceptances import acceptance_in_class
from policies.services.common import PolicyError
from policies.services.library import (
    GOVERNORS_MEETING_REQUIRED,
    REVIEW_AFTER_EFFECTIVE,
    REVIEW_AFTER_TODAY,
    version_approve,
    version_create,
    version_publish,
    version_set_review_date,
)
from tests.factories import PupilFactory, SchoolClassFactory
from tests.policies.conftest import error_summary

TODAY = timezone.localdate


def url(name: str, personas, *args) -> str:
    return reverse(f"policies:{name}", args=[personas.school.code, *args])


def refusal(raised: pytest.ExceptionInfo, field: str) -> list[str]:
    """The messages a service's ValidationError gives for one of its arguments."""
    return raised.value.message_dict[field]


@pytest.fixture
def draft(personas, publish) -> PolicyVersion:
    v1 = publish([Audience.STAFF], body="Version one.")
    return version_create(
        actor=personas.online_safety_lead, policy=v1.policy, number="2", body="Version two."
    )


@pytest.fixture
def approved(personas, draft) -> PolicyVersion:
    return version_approve(
        actor=personas.head, version=draft, approved_by_body=ApprovedBy.HEAD, approved_on=TODAY()
    )


# A governors' approval names its meeting.


@pytest.mark.parametrize("who", ["head", "online_safety_lead"])
@pytest.mark.parametrize("note", ["", "   \n "])
def test_a_governors_approval_without_its_meeting_is_refused(personas, draft, who, note):
    with pytest.raises(ValidationError) as raised:
        version_approve(
            actor=getattr(personas, who),
            version=draft,
            approved_by_body=ApprovedBy.GOVERNORS,
            approved_on=TODAY(),
            note=note,
        )
    assert refusal(raised, "note") == [GOVERNORS_MEETING_REQUIRED]
    assert "Say which meeting of the governing board approved it" in str(raised.value)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_governors_approval_keeps_its_meeting(personas, draft):
    approved = version_approve(
        actor=personas.online_safety_lead,
        version=draft,
        approved_by_body=ApprovedBy.GOVERNORS,
        approved_on=TODAY(),
        note="  Full governing board,\n 12 March, minute 7 ",
    )
    assert approved.status == VersionStatus.APPROVED
    assert approved.approval_note == "Full governing board, 12 March, minute 7"


def test_the_heads_own_approval_needs_no_meeting(personas, draft):
    approved = version_approve(
        actor=personas.head, version=draft, approved_by_body=ApprovedBy.HEAD, approved_on=TODAY()
    )
    assert (approved.status, approved.approval_note) == (VersionStatus.APPROVED, "")


def test_an_approval_dated_in_the_future_is_refused_beside_its_date(personas, draft):
    with pytest.raises(ValidationError) as raised:
        version_approve(
            actor=personas.head,
            version=draft,
            approved_by_body=ApprovedBy.HEAD,
            approved_on=TODAY() + datetime.timedelta(days=1),
        )
    assert refusal(raised, "approved_on") == ["The approval date cannot be in the future."]


def test_only_the_head_and_the_online_safety_lead_record_an_approval(personas, draft):
    with pytest.raises(PolicyError, match="headteacher or the online safety lead"):
        version_approve(
            actor=personas.dsl,
            version=draft,
            approved_by_body=ApprovedBy.GOVERNORS,
            approved_on=TODAY(),
            note="Full governing board, minute 7",
        )


def test_the_approval_page_shows_the_services_refusal_beside_the_meeting(
    personas, client_for, draft
):
    # The head may choose either body, so the form leaves the meeting to the service's rule.
    response = client_for(personas.head).post(
        url("version_approve", personas, draft.code),
        {"approved_by_body": ApprovedBy.GOVERNORS, "approved_on": TODAY().isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"note": [GOVERNORS_MEETING_REQUIRED]}
    summary = error_summary(response)
    assert f'href="#id_note">{GOVERNORS_MEETING_REQUIRED}</a>' in summary
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_the_approval_page_shows_a_future_date_beside_the_date(personas, client_for, draft):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = client_for(personas.head).post(
        url("version_approve", personas, draft.code),
        {"approved_by_body": ApprovedBy.HEAD, "approved_on": tomorrow.isoformat()},
    )
    assert response.context["form"].errors == {
        "approved_on": ["The approval date cannot be in the future."]
    }
    assert 'href="#id_approved_on">The approval date cannot be in the future.</a>' in (
        error_summary(response)
    )


# A review date falls after the date the version takes effect (and after today).


def test_publishing_refuses_a_review_before_the_version_takes_effect(personas, approved):
    with pytest.raises(ValidationError) as raised:
        version_publish(
            actor=personas.online_safety_lead,
            version=approved,
            effective_date=TODAY() + datetime.timedelta(days=60),
            next_review_due=TODAY() + datetime.timedelta(days=30),
        )
    assert refusal(raised, "next_review_due") == [REVIEW_AFTER_EFFECTIVE]
    approved.refresh_from_db()
    assert approved.status == VersionStatus.APPROVED


def test_publishing_refuses_a_review_on_the_day_it_takes_effect(personas, approved):
    day = TODAY() + datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as raised:
        version_publish(
            actor=personas.online_safety_lead,
            version=approved,
            effective_date=day,
            next_review_due=day,
        )
    assert refusal(raised, "next_review_due") == [REVIEW_AFTER_EFFECTIVE]


def test_publishing_refuses_a_review_in_the_past(personas, approved):
    with pytest.raises(ValidationError) as raised:
        version_publish(
            actor=personas.online_safety_lead,
            version=approved,
            effective_date=TODAY() - datetime.timedelta(days=400),
            next_review_due=TODAY() - datetime.timedelta(days=1),
        )
    assert refusal(raised, "next_review_due") == [REVIEW_AFTER_TODAY]


def test_changing_the_review_date_refuses_one_before_the_version_takes_effect(personas, approved):
    published = version_publish(
        actor=personas.online_safety_lead,
        version=approved,
        effective_date=TODAY() + datetime.timedelta(days=60),
    )
    with pytest.raises(ValidationError) as raised:
        version_set_review_date(
            actor=personas.head,
            version=published,
            next_review_due=TODAY() + datetime.timedelta(days=30),
        )
    assert refusal(raised, "next_review_due") == [REVIEW_AFTER_EFFECTIVE]
    with pytest.raises(ValidationError) as raised:
        version_set_review_date(actor=personas.head, version=published, next_review_due=TODAY())
    assert refusal(raised, "next_review_due") == [REVIEW_AFTER_TODAY]
    published.refresh_from_db()
    assert published.next_review_due == published.effective_date.replace(
        year=published.effective_date.year + 1
    )


def test_the_publish_page_shows_the_services_refusal_beside_the_review_date(
    personas, client_for, approved
):
    response = client_for(personas.online_safety_lead).post(
        url("version_publish", personas, approved.code),
        {
            "effective_date": (TODAY() + datetime.timedelta(days=60)).isoformat(),
            "next_review_due": (TODAY() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"next_review_due": [REVIEW_AFTER_EFFECTIVE]}
    assert f'href="#id_next_review_due">{REVIEW_AFTER_EFFECTIVE}</a>' in (error_summary(response))
    approved.refresh_from_db()
    assert approved.status == VersionStatus.APPROVED


def test_the_review_date_page_shows_the_services_refusal(personas, client_for, approved):
    published = version_publish(
        actor=personas.online_safety_lead,
        version=approved,
        effective_date=TODAY() + datetime.timedelta(days=60),
    )
    response = client_for(personas.head).post(
        url("version_review_date", personas, published.code),
        {"next_review_due": (TODAY() + datetime.timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"next_review_due": [REVIEW_AFTER_EFFECTIVE]}
    assert REVIEW_AFTER_EFFECTIVE in error_summary(response)


# Only the class teacher records an in-class sign-off.


@pytest.fixture
def ks2(publish) -> PolicyVersion:
    return publish([Audience.PUPILS_KS2], title="KS2 pupils' AUP")


@pytest.fixture
def classes(personas):
    """Oak, taught by the staff persona, and Elm, taught by the office persona; a pupil each,
    and one pupil in no class."""
    oak = SchoolClassFactory(school=personas.school, name="Oak", teacher=personas.staff)
    elm = SchoolClassFactory(school=personas.school, name="Elm", teacher=personas.office)
    return (
        PupilFactory(school=personas.school, school_class=oak, year_group="Year 5"),
        PupilFactory(school=personas.school, school_class=elm, year_group="Year 5"),
        PupilFactory(school=personas.school, school_class=None, year_group="Year 5"),
    )


def test_the_class_teacher_records_their_own_classs_sign_off(personas, ks2, classes):
    in_oak, _in_elm, _nowhere = classes
    assert acceptance_in_class(actor=personas.staff, version=ks2, pupils=[in_oak]) == 1


@pytest.mark.parametrize("which", ["another_class", "no_class", "one_of_several"])
def test_anyone_else_is_refused_and_nothing_is_recorded(personas, ks2, classes, which):
    in_oak, in_elm, nowhere = classes
    pupils = {
        "another_class": [in_elm],
        "no_class": [nowhere],
        "one_of_several": [in_oak, in_elm],
    }[which]
    with pytest.raises(PolicyError, match="Only a pupil's class teacher"):
        acceptance_in_class(actor=personas.staff, version=ks2, pupils=pupils)
    assert not Acceptance.objects.exists()


@pytest.mark.parametrize("who", ["dsl", "deputy_dsl", "office", "governor", "parent"])
def test_a_member_who_teaches_no_class_is_refused(personas, ks2, classes, who):
    in_oak, _in_elm, _nowhere = classes
    with pytest.raises(PolicyError, match="Only a pupil's class teacher"):
        acceptance_in_class(actor=getattr(personas, who), version=ks2, pupils=[in_oak])
    assert not Acceptance.objects.exists()


@pytest.mark.parametrize("who", ["head", "online_safety_lead"])
def test_the_head_and_the_online_safety_lead_record_any_classs(personas, ks2, classes, who):
    assert acceptance_in_class(actor=getattr(personas, who), version=ks2, pupils=classes)
    assert Acceptance.objects.filter(recorded_by=getattr(personas, who)).count() == 3


def test_the_sign_off_page_shows_the_services_refusal(
    personas, client_for, ks2, classes, monkeypatch
):
    # Were the page ever to offer another teacher's class (the selector that lists a teacher's
    # classes is the page's check), the service still refuses, and the page says why.
    _in_oak, in_elm, _nowhere = classes
    monkeypatch.setattr(
        accept_selectors,
        "classes_for_signoff",
        lambda *, access: school_classes(school=access.school),
    )
    elm = in_elm.school_class
    response = client_for(personas.staff).post(
        url("class_signoff", personas),
        {"class": elm.code, "version": ks2.code, "pupils": [in_elm.code], "method": "in_class"},
    )
    assert response.status_code == 200
    summary = error_summary(response)
    assert "Only a pupil&#x27;s class teacher can record their sign-off." in summary
    assert not Acceptance.objects.exists()
