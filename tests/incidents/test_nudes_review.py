"""The sharing-nudes review (the services): the meeting, the five questions in order, and the
referral or the decision to handle it in school that closing needs."""

import datetime

import pytest

from incidents import services
from incidents.models import Status
from tests.incidents.helpers import _answer_all, _close, _nudes_ready, answered_no


def test_nudes_questions_come_after_the_review_meeting_and_in_order(personas, log_concern):
    concern = log_concern("nudes")
    with pytest.raises(services.ConcernError, match="review meeting"):
        services.nudes_answer(actor=personas.dsl, concern=concern, question="adult", answer=False)
    services.review_meeting_record(
        actor=personas.dsl,
        concern=concern,
        held_on=datetime.date.today(),
        attendees="DSL",
        summary="Initial review.",
    )
    with pytest.raises(services.ConcernError, match="in order"):
        services.nudes_answer(actor=personas.dsl, concern=concern, question="under13", answer=False)


def test_nudes_any_yes_needs_a_police_or_social_care_referral_to_close(personas, log_concern):
    concern = _nudes_ready(personas, log_concern)
    _answer_all(personas, concern, [False, True, False, False, False])
    with pytest.raises(services.ConcernError, match="police and/or"):
        _close(personas, concern)
    services.referral_record(
        actor=personas.dsl,
        concern=concern,
        referred=True,
        agency="social_care",
        referred_on=datetime.date.today(),
        reference="MASH-1234",
        reasons="A question was answered yes: doubt about capacity to consent.",
    )
    assert _close(personas, concern).status == Status.CLOSED


def test_nudes_all_no_needs_the_decision_to_handle_in_school_and_why(personas, log_concern):
    concern = _nudes_ready(personas, log_concern)
    _answer_all(personas, concern, [False] * 5)
    with pytest.raises(services.ConcernError, match="handle it in school"):
        _close(personas, concern)
    services.referral_record(
        actor=personas.dsl,
        concern=concern,
        referred=False,
        reasons="Consensual, same age, no aggravating factors; handled in school.",
    )
    assert _close(personas, concern).status == Status.CLOSED


def test_nudes_all_no_is_not_satisfied_by_an_iwf_report(personas, log_concern):
    concern = _nudes_ready(personas, log_concern)
    _answer_all(personas, concern, [False] * 5)
    services.referral_record(
        actor=personas.dsl,
        concern=concern,
        referred=True,
        agency="iwf",
        referred_on=datetime.date.today(),
        reasons="The image was reported for removal.",
    )
    with pytest.raises(services.ConcernError, match="handle it in school"):
        _close(personas, concern)
    # The IWF report does not stand in the way of the decision it is not.
    services.nudes_decision_record(
        actor=personas.dsl, concern=concern, reasons="Same age, consensual, images deleted."
    )
    assert _close(personas, concern).status == Status.CLOSED


def test_nudes_all_no_may_still_be_referred_to_the_police_with_the_reasons(personas, log_concern):
    concern = _nudes_ready(personas, log_concern)
    _answer_all(personas, concern, [False] * 5)
    services.referral_record(
        actor=personas.dsl,
        concern=concern,
        referred=True,
        agency="police",
        referred_on=datetime.date.today(),
        reasons="None of the five holds, but the family asked for police advice.",
    )
    assert _close(personas, concern).status == Status.CLOSED


def test_it_records_the_decision_to_handle_nudes_in_school_once(personas, log_concern):
    concern = log_concern("nudes")
    answered_no(concern, personas.dsl)
    services.nudes_decision_record(actor=personas.dsl, concern=concern, reasons="Same age.")
    with pytest.raises(services.ConcernError, match="recorded already"):
        services.nudes_decision_record(actor=personas.dsl, concern=concern, reasons="Again.")
    assert concern.referrals.count() == 1


def test_it_refuses_the_decision_before_the_five_answers(personas, log_concern):
    concern = log_concern("nudes")
    answered_no(concern, personas.dsl, upto=4)
    with pytest.raises(services.ConcernError, match="Answer the five questions first"):
        services.nudes_decision_record(actor=personas.dsl, concern=concern, reasons="Same age.")
    assert not concern.referrals.exists()


def test_it_refuses_the_nudes_decision_for_another_category(personas, concern):
    with pytest.raises(services.ConcernError, match="sharing nudes only"):
        services.nudes_decision_record(actor=personas.dsl, concern=concern, reasons="Same age.")
