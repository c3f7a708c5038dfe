"""Working a concern through its pages: the detail, every action, closing, reopening."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from esafety.audit.models import AuditEvent
from incidents import services
from incidents.categories import KEPT_BY
from incidents.models import (
    Concern,
    EntryKind,
    PupilRole,
    Referral,
    Status,
    StepState,
    TimelineEntry,
)
from tests.factories import PupilFactory
from tests.incidents.conftest import png
from tests.incidents.helpers import finish_steps, messages_of, reload, url
from tests.incidents.test_my_concerns import audit_queries


def decide_not_to_refer(concern: Concern, actor) -> None:
    services.referral_record(
        actor=actor, concern=concern, referred=False, reasons="Resolved between the families."
    )


# The detail page.


def test_it_shows_everything_about_the_concern(personas, dsl_client, log_concern):
    pupil = PupilFactory(
        school=personas.school, first_name="Ottoline", last_name="Vane", sen=True, cp_plan=True
    )
    concern = log_concern(
        "cyberbullying",
        pupils=[services.InvolvedPupil(pupil, "alleged")],
        staff=[personas.office],
        what_happened="Messages sent at night in the class chat.",
        files=[png()],
    )
    response = dsl_client.get(url("detail", concern))
    assert response.status_code == 200
    body = response.content.decode()
    assert concern.reference in body
    assert "Messages sent at night in the class chat." in body
    assert "Ottoline Vane" in body and "Alleged to be responsible" in body
    assert "SEN" in body and "CP plan" in body
    assert "Ola Office" in body  # staff involved
    assert "Sanctions under the anti-bullying and behaviour policies" in body
    attachment = concern.attachments.get()
    assert url("attachment", concern, attachment.code) in body
    assert reverse("incidents:chronology", args=[personas.school.code, pupil.code]) in body
    assert "Acknowledge this concern" in body


def test_it_writes_an_audit_event_for_each_read_of_the_detail(personas, dsl_client, concern):
    for _ in range(2):
        dsl_client.get(url("detail", concern))
    reads = AuditEvent.objects.filter(action="concern.read", object_code=str(concern.code))
    assert reads.count() == 2
    assert set(reads.values_list("actor", flat=True)) == {personas.dsl.pk}
    # The event names the concern by its reference, never the child or the narrative.
    assert all("Zephyrine" not in e.summary for e in reads)


def _worked(personas, log_concern, size: int) -> Concern:
    """A concern worked for a while: `size` pupils, notes (each corrected) and referrals, up to
    three members of staff named and five files, its steps done; the DSL and the head write."""
    concern = log_concern(
        "cyberbullying",
        pupils=[
            services.InvolvedPupil(PupilFactory(school=personas.school), PupilRole.WITNESS)
            for _ in range(size)
        ],
        staff=[personas.office, personas.online_safety_lead, personas.governor][:size],
        files=[png(f"{i}.png") for i in range(min(size, 5))],
    )
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    for i in range(size):
        author = personas.dsl if i % 2 else personas.head
        note = services.concern_add_note(actor=author, concern=concern, text=f"Note {i}.")
        services.concern_correct(
            actor=personas.dsl, concern=concern, entry=note, text=f"Correction {i}."
        )
        services.referral_record(
            actor=author,
            concern=concern,
            referred=True,
            agency="police",
            referred_on=timezone.localdate(),
            reference=f"REF-{i}",
            reasons="A crime may have been committed.",
        )
    finish_steps(concern, personas.dsl)
    return reload(concern)


def test_it_runs_the_same_queries_for_a_long_history_as_for_a_short_one(
    personas, dsl_client, log_concern, django_assert_num_queries
):
    short, long = _worked(personas, log_concern, 1), _worked(personas, log_concern, 6)
    # Session, user, memberships, second factor; the concern, its pupils, staff, steps,
    # referrals, files and timeline, and every member of staff those name, in one query; the
    # read's audit event; the devices held as evidence for it, and whether any filtering record
    # names it.
    expected = 4 + 8 + audit_queries() + 2
    for concern, entries in ((short, 4), (long, 14)):
        # The first request writes the session's idle clock (once a minute): not what is measured.
        dsl_client.get(url("detail", concern))
        with django_assert_num_queries(expected):
            response = dsl_client.get(url("detail", concern))
        assert len(response.context["entries"]) >= entries
        assert len(response.context["pupil_links"]) == len(concern.pupil_links.all())
    body = response.content.decode()
    assert "REF-5" in body and "Correction 5." in body and "Ola Office" in body


def test_it_acknowledges(personas, dsl_client, concern):
    response = dsl_client.post(url("acknowledge", concern), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", concern)
    concern = reload(concern)
    assert concern.status == Status.ACKNOWLEDGED
    assert concern.acknowledged_by == personas.dsl
    assert f"{concern.reference} acknowledged." in messages_of(response)


def test_it_shows_a_refusal_from_the_service(dsl_client, concern):
    response = dsl_client.post(
        url("set_status", concern), {"status-status": "in_progress"}, follow=True
    )
    assert "Acknowledge the concern first." in messages_of(response)
    assert reload(concern).status == Status.REPORTED


def test_it_sets_the_status(personas, dsl_client, concern):
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    response = dsl_client.post(
        url("set_status", concern),
        {"status-status": "awaiting_agency", "status-note": "Waiting for the police."},
        follow=True,
    )
    assert "Status changed." in messages_of(response)
    assert reload(concern).status == Status.AWAITING_AGENCY
    assert concern.entries.filter(text__contains="Waiting for the police.").exists()


def test_it_refuses_a_status_the_form_does_not_offer(personas, dsl_client, concern):
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    response = dsl_client.post(url("set_status", concern), {"status-status": "closed"})
    # Shown again with the error, not redirected.
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert reload(concern).status == Status.ACKNOWLEDGED


@pytest.mark.parametrize("kind", ["note", "action"])
def test_it_adds_a_note_or_an_action(dsl_client, concern, kind):
    response = dsl_client.post(
        url("add_note", concern), {"note-kind": kind, "note-text": "Spoke to the class teacher."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#h-timeline")
    entry = concern.entries.get(kind=kind)
    assert entry.text == "Spoke to the class teacher."


def test_it_shows_an_empty_note_again_with_its_error(dsl_client, concern):
    response = dsl_client.post(url("add_note", concern), {"note-kind": "note", "note-text": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not concern.entries.filter(kind=EntryKind.NOTE).exists()


def test_it_adds_a_correction_beside_the_entry_it_corrects(personas, dsl_client, concern):
    note = services.concern_add_note(actor=personas.dsl, concern=concern, text="Met on Tuesday.")
    response = dsl_client.post(
        url("correct", concern, note.code),
        {f"correct-{note.code}-text": "It was Wednesday, not Tuesday."},
        follow=True,
    )
    assert "Correction added; the original entry is kept as it was." in messages_of(response)
    note.refresh_from_db()
    assert note.text == "Met on Tuesday."
    correction = TimelineEntry.objects.get(corrects=note)
    assert correction.kind == EntryKind.CORRECTION
    body = response.content.decode()
    # Shown under the entry it corrects, before the next entry.
    assert body.index("Met on Tuesday.") < body.index("It was Wednesday, not Tuesday.")


def test_it_gives_every_entry_its_own_correction_form(personas, dsl_client, concern):
    logged = concern.entries.get()
    note = services.concern_add_note(actor=personas.dsl, concern=concern, text="Met on Tuesday.")
    body = dsl_client.get(url("detail", concern)).content.decode()
    for entry in (logged, note):
        assert f'action="{url("correct", concern, entry.code)}"' in body
        assert f'name="correct-{entry.code}-text"' in body
        assert f'<label for="id_correct-{entry.code}-text"' in body
    assert "__entry__" not in body
    assert '<details class="d-print-none" open>' not in body


def test_it_shows_an_empty_correction_again_open_under_its_entry(personas, dsl_client, concern):
    logged = concern.entries.get()
    note = services.concern_add_note(actor=personas.dsl, concern=concern, text="Met on Tuesday.")
    response = dsl_client.post(
        url("correct", concern, note.code), {f"correct-{note.code}-text": ""}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<details class="d-print-none" open>') == 1
    shown = body.index('<details class="d-print-none" open>')
    assert body.index(f'id="entry-{note.code}"') < shown
    assert "This field is required." in body[shown:]
    # The other entry keeps its blank form.
    assert f'name="correct-{logged.code}-text"' in body
    assert not TimelineEntry.objects.filter(kind=EntryKind.CORRECTION).exists()


def test_it_refuses_to_correct_an_entry_of_another_concern(personas, dsl_client, log_concern):
    one, other = log_concern(), log_concern()
    entry = other.entries.get()
    response = dsl_client.post(
        url("correct", one, entry.code), {f"correct-{entry.code}-text": "Wrong concern."}
    )
    assert response.status_code == 404
    assert not TimelineEntry.objects.filter(kind=EntryKind.CORRECTION).exists()


def test_it_records_a_step_done_with_a_note(personas, dsl_client, concern):
    response = dsl_client.post(
        url("step", concern, "evidence"),
        {"step-evidence-outcome": "done", "step-evidence-note": "Screenshots kept."},
    )
    assert response.status_code == 302
    step = concern.steps.get(key="evidence")
    assert (step.state, step.done_by, step.note) == (
        StepState.DONE,
        personas.dsl,
        "Screenshots kept.",
    )


def test_it_needs_a_reason_to_mark_a_step_not_applicable(dsl_client, concern):
    response = dsl_client.post(
        url("step", concern, "removal"), {"step-removal-outcome": "not_applicable"}
    )
    assert response.status_code == 200
    assert "Say why this step does not apply." in response.content.decode()
    assert concern.steps.get(key="removal").state == StepState.OPEN

    dsl_client.post(
        url("step", concern, "removal"),
        {
            "step-removal-outcome": "not_applicable",
            "step-removal-note": "Nothing was posted publicly.",
        },
    )
    step = concern.steps.get(key="removal")
    assert (step.state, step.note) == (StepState.NOT_APPLICABLE, "Nothing was posted publicly.")


def test_it_says_so_when_a_step_is_recorded_twice(dsl_client, concern):
    data = {"step-record-outcome": "done"}
    dsl_client.post(url("step", concern, "record"), data)
    response = dsl_client.post(url("step", concern, "record"), data, follow=True)
    assert "That step has been recorded already; add a note to say more." in messages_of(response)


def test_it_answers_404_for_a_step_the_concern_does_not_have(dsl_client, concern):
    response = dsl_client.post(url("step", concern, "no-such-step"), {})
    assert response.status_code == 404


def test_it_records_a_referral(personas, dsl_client, concern):
    response = dsl_client.post(
        url("referral", concern),
        {
            "ref-decision": "referred",
            "ref-agency": "police",
            "ref-referred_on": "2026-01-05",
            "ref-reference": "PC-1234",
            "ref-reasons": "Threats of violence in the messages.",
        },
        follow=True,
    )
    assert "Referral recorded." in messages_of(response)
    referral = concern.referrals.get()
    assert (referral.agency, referral.referred_on, referral.reference) == (
        "police",
        datetime.date(2026, 1, 5),
        "PC-1234",
    )
    assert referral.recorded_by == personas.dsl


def test_it_needs_the_agency_and_date_of_a_referral(dsl_client, concern):
    response = dsl_client.post(url("referral", concern), {"ref-decision": "referred"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose the agency the concern was referred to." in body
    assert "Give the date of the referral." in body
    # A child-protection record keeps the reasons for a referral too (KCSIE).
    assert "Give the reasons for the referral." in body
    assert not Referral.objects.exists()


def test_it_does_not_ask_for_reasons_for_a_referral_outside_child_protection(
    dsl_client, log_concern
):
    concern = log_concern("filtering_breach")
    dsl_client.post(
        url("referral", concern),
        {"ref-decision": "referred", "ref-agency": "iwf", "ref-referred_on": "2026-01-05"},
    )
    assert concern.referrals.get().agency == "iwf"


def test_it_records_a_decision_not_to_refer_only_with_reasons(dsl_client, concern):
    response = dsl_client.post(url("referral", concern), {"ref-decision": "not_referred"})
    assert response.status_code == 200
    assert "Give the reasons for not referring." in response.content.decode()
    dsl_client.post(
        url("referral", concern),
        {"ref-decision": "not_referred", "ref-reasons": "Resolved between the families."},
    )
    referral = concern.referrals.get()
    assert (referral.referred, referral.reasons) == (False, "Resolved between the families.")


# Closing and reopening.


def test_it_shows_what_is_missing_before_a_concern_can_close(dsl_client, concern):
    response = dsl_client.get(url("close", concern))
    assert response.status_code == 200
    missing = response.context["missing"]
    assert missing[0] == "The concern has not been acknowledged."
    assert "Procedure step not done: Evidence kept" in missing
    assert AuditEvent.objects.filter(action="concern.read").count() == 1


def test_it_refuses_to_close_with_a_step_open_and_lists_everything_missing(
    personas, dsl_client, concern
):
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    for step in concern.steps.exclude(key__in=[*KEPT_BY, "sanctions"]):
        services.step_complete(actor=personas.dsl, concern=concern, step=step, done=True)

    response = dsl_client.post(url("close", concern), {"parents_informed": "no"})
    assert response.status_code == 200
    body = response.content.decode()
    refused = response.context["refused"]
    # Whether the parents were informed is answered on this form: it is not a step to do first.
    assert refused == [
        "Procedure step not done: Sanctions under the anti-bullying and behaviour policies",
        "Record the referral decision: a referral to an outside agency with the reasons for it, "
        "or a decision not to refer with its reasons.",
        "Write the outcome.",
        "Write the lessons learnt (or that there are none, and why).",
        "Say why the parents were not informed.",
    ]
    assert "This concern cannot close yet" in body
    assert reload(concern).status == Status.ACKNOWLEDGED
    # The page shown again lists the procedure's state: that is a read too.
    assert AuditEvent.objects.filter(action="concern.read", actor=personas.dsl).count() == 1


def test_it_closes_a_concern_whose_steps_are_done(personas, dsl_client, concern):
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    finish_steps(concern, personas.dsl)
    decide_not_to_refer(concern, personas.dsl)
    response = dsl_client.post(
        url("close", concern),
        {
            "outcome": "Apologies made; content removed.",
            "lessons_learnt": "Remind Year 5 about group chats.",
            "parents_informed": "no",
            "parents_not_informed_reason": "Telling them would put the child at risk.",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("detail", concern)
    assert f"{concern.reference} closed." in messages_of(response)
    concern = reload(concern)
    assert concern.status == Status.CLOSED
    assert concern.parents_informed is False
    assert concern.parents_not_informed_reason == "Telling them would put the child at risk."
    assert "Reopen this concern" in response.content.decode()
    # The answer is the "parents informed" step: not informed, with the reason, linked to it.
    step = concern.steps.get(key="inform_parents")
    assert (step.state, step.note) == (
        StepState.NOT_APPLICABLE,
        "Telling them would put the child at risk.",
    )
    assert step.entry == concern.entries.get(kind=EntryKind.CLOSED)


def test_it_reopens_only_with_a_reason(personas, dsl_client, concern):
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    finish_steps(concern, personas.dsl)
    decide_not_to_refer(concern, personas.dsl)
    services.concern_close(
        actor=personas.dsl,
        concern=concern,
        outcome="Resolved.",
        lessons_learnt="None.",
        parents_informed=True,
    )
    response = dsl_client.post(url("reopen", concern), {"reopen-reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert reload(concern).status == Status.CLOSED
    response = dsl_client.post(
        url("reopen", concern), {"reopen-reason": "The messages started again."}, follow=True
    )
    assert f"{concern.reference} reopened." in messages_of(response)
    assert reload(concern).status == Status.IN_PROGRESS
    assert concern.entries.filter(kind=EntryKind.REOPENED).exists()


# The procedure's heading reads as a sentence for every category.


@pytest.mark.parametrize(
    "category,expected",
    [
        ("staff_conduct", "The procedure for a member of staff's online conduct, as it stood"),
        ("iioc", "The procedure for indecent images of children (IIOC), as it stood"),
        ("filtering_breach", "The procedure for a filtering or monitoring breach, as it stood"),
        ("nudes", "The procedure for sharing nudes or semi-nudes, as it stood"),
    ],
)
def test_the_procedures_heading_reads_as_a_sentence(
    personas, client_for, log_concern, category, expected
):
    concern = log_concern(category, staff=[personas.office] if category == "staff_conduct" else [])
    response = client_for(personas.head).get(url("detail", concern))
    assert expected in html.unescape(response.content.decode())
