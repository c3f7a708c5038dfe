"""The sharing-nudes review through the concern's pages: the meeting, the questions one at a
time, the decision, and closing reading it as the page does."""

from django.utils import timezone

from incidents import services
from incidents.categories import NUDES_QUESTIONS
from incidents.models import ReviewMeeting, Status
from tests.incidents.helpers import answered_no, finish_steps, messages_of, reload, url


def nudes_post(client, concern, name: str, data: dict):
    return client.post(url(name, concern), data, follow=True)


def test_it_works_a_nudes_concern_through_the_review_and_the_questions(
    personas, dsl_client, log_concern
):
    concern = log_concern("nudes")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    body = dsl_client.get(url("detail", concern)).content.decode()
    assert "Record the meeting" in body and "Date of the meeting" in body
    assert "Question 1 of 5" not in body

    nudes_post(
        dsl_client,
        concern,
        "review_meeting",
        {
            "meeting-held_on": timezone.localdate().isoformat(),
            "meeting-attendees": "DSL, head of year",
            "meeting-summary": "Image shared between two Year 6 pupils.",
        },
    )
    assert ReviewMeeting.objects.filter(concern=concern).exists()

    for number, (key, _text) in enumerate(NUDES_QUESTIONS, start=1):
        body = dsl_client.get(url("detail", concern)).content.decode()
        assert f"Question {number} of 5" in body
        # Only the next question is asked: the later ones are not on the page yet.
        for _later_key, later_text in NUDES_QUESTIONS[number:]:
            assert later_text.replace("'", "&#x27;") not in body
        nudes_post(
            dsl_client,
            concern,
            "nudes_answer",
            {"question-question": key, "question-answer": "no"},
        )
    assert concern.nudes_answers.count() == 5

    body = dsl_client.get(url("detail", concern)).content.decode()
    assert "All five answers were no" in body
    assert "Record the decision" in body
    response = nudes_post(
        dsl_client,
        concern,
        "nudes_decision",
        {"decision-reasons": "Consensual, same age, no aggravating factors."},
    )
    assert "Decision to handle it in school recorded." in messages_of(response)
    decision = concern.referrals.get()
    assert not decision.referred
    assert decision.reasons.endswith("Consensual, same age, no aggravating factors.")
    assert "Decision recorded" in response.content.decode()


def test_it_tells_the_dsl_to_refer_when_a_nudes_question_is_answered_yes(
    personas, dsl_client, log_concern
):
    concern = log_concern("nudes")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    services.review_meeting_record(
        actor=personas.dsl,
        concern=concern,
        held_on=timezone.localdate(),
        attendees="DSL",
        summary="Held.",
    )
    for key, _text in NUDES_QUESTIONS:
        services.nudes_answer(
            actor=personas.dsl, concern=concern, question=key, answer=key == "adult"
        )
    body = dsl_client.get(url("detail", concern)).content.decode()
    assert "A question was answered yes: refer to the police and/or children" in body
    assert "the concern cannot be closed until it is recorded" in body
    assert "Record the decision" not in body
    # The decision form's URL refuses too: a yes needs a referral, not a decision not to refer.
    response = nudes_post(dsl_client, concern, "nudes_decision", {"decision-reasons": "No."})
    assert not concern.referrals.exists()
    assert messages_of(response) == [
        "A question was answered yes: record the referral to the police and/or children's "
        "social care instead."
    ]

    finish_steps(concern, personas.dsl)
    close = {"outcome": "Done.", "lessons_learnt": "None.", "parents_informed": "yes"}
    response = dsl_client.post(url("close", concern), close)
    refer_yes = [
        "A question was answered yes: record the referral to the police and/or children's "
        "social care, with the reasons for it."
    ]
    assert response.context["refused"] == refer_yes
    # An IWF report is not that referral, and nor is a police referral without its reasons.
    for agency, reasons in (("iwf", "Image reported."), ("police", "")):
        services.referral_record(
            actor=personas.dsl,
            concern=concern,
            referred=True,
            agency=agency,
            referred_on=timezone.localdate(),
            reasons=reasons,
        )
        assert dsl_client.post(url("close", concern), close).context["refused"] == refer_yes
    services.referral_record(
        actor=personas.dsl,
        concern=concern,
        referred=True,
        agency="police",
        referred_on=timezone.localdate(),
        reasons="An adult is involved.",
    )
    assert dsl_client.post(url("close", concern), close).status_code == 302
    assert reload(concern).status == Status.CLOSED


def test_it_refuses_the_questions_out_of_order(personas, dsl_client, log_concern):
    concern = log_concern("nudes")
    services.review_meeting_record(
        actor=personas.dsl,
        concern=concern,
        held_on=timezone.localdate(),
        attendees="DSL",
        summary="Held.",
    )
    response = nudes_post(
        dsl_client,
        concern,
        "nudes_answer",
        {"question-question": "under13", "question-answer": "no"},
    )
    assert "Answer the questions in order." in messages_of(response)
    assert not concern.nudes_answers.exists()


def test_the_page_and_closing_read_the_nudes_review_the_same_way(personas, dsl_client, log_concern):
    # All five answers no, and only an IWF report: not the decision to handle it in school.
    concern = log_concern("nudes")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    answered_no(concern, personas.dsl)
    services.referral_record(
        actor=personas.dsl,
        concern=concern,
        referred=True,
        agency="iwf",
        referred_on=timezone.localdate(),
        reasons="Image reported for removal.",
    )
    finish_steps(concern, personas.dsl)
    page = dsl_client.get(url("detail", concern))
    close = dsl_client.get(url("close", concern))
    decision_missing = (
        "All five questions were answered no: record the decision to handle it in school, and "
        "why (a decision not to refer)."
    )
    assert page.context["missing"] == close.context["missing"] == [decision_missing]
    assert "Record the decision" in page.content.decode()
    assert "1 thing still to record before it can close." in page.content.decode()

    nudes_post(dsl_client, concern, "nudes_decision", {"decision-reasons": "Same age."})
    page = dsl_client.get(url("detail", concern))
    assert page.context["missing"] == dsl_client.get(url("close", concern)).context["missing"]
    assert page.context["missing"] == []
    assert "Everything it needs is recorded." in page.content.decode()
