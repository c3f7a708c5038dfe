import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from esafety.notify.models import Message
from esafety.notify.tasks import sweep_outbox
from incidents import procedure, services
from incidents.categories import CATEGORIES, IMAGE_CATEGORIES, KEPT_BY, Category, Route
from incidents.evidence import EvidenceRefused
from incidents.models import Attachment, Concern, EntryKind, Status, StepState
from tests.factories import PupilFactory
from tests.incidents.conftest import PDF, PNG, pdf, png


def _recipients(concern) -> set[str]:
    return set(
        Message.objects.filter(link__contains=str(concern.code)).values_list("to_email", flat=True)
    )


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_it_copies_each_categorys_procedure_and_route(log_concern, category):
    concern = log_concern(category)
    expected = CATEGORIES[category]
    assert concern.four_c == expected.four_c
    assert concern.route == expected.route
    assert [(s.key, s.label, s.required) for s in concern.steps.all()] == [
        (s.key, s.label, s.required) for s in expected.steps
    ]
    assert all(s.state == StepState.OPEN for s in concern.steps.all())


def test_it_keeps_the_copied_procedure_when_the_category_changes_later(log_concern, monkeypatch):
    import dataclasses

    from incidents.categories import Step

    old = log_concern("misinformation")
    changed = dataclasses.replace(
        CATEGORIES[Category.MISINFORMATION], steps=(Step("new_step", "A step added later"),)
    )
    monkeypatch.setitem(CATEGORIES, Category.MISINFORMATION, changed)
    new = log_concern("misinformation")
    assert [s.key for s in new.steps.all()] == ["new_step"]
    assert [s.key for s in Concern.objects.get(pk=old.pk).steps.all()] == ["record", "education"]


@pytest.mark.parametrize(
    "category,expected",
    [
        ("cyberbullying", {"dsl", "deputy_dsl"}),
        ("nudes", {"dsl", "deputy_dsl"}),
        ("filtering_breach", {"online_safety_lead", "dsl"}),
        ("misinformation", {"online_safety_lead", "dsl"}),
        ("staff_conduct", {"head"}),
    ],
)
def test_it_alerts_the_people_the_route_names(personas, log_concern, category, expected):
    concern = log_concern(category)
    emails = {personas.for_role(r).email for r in expected}
    assert _recipients(concern) == emails


def test_it_sends_a_concern_about_the_head_to_the_chair_and_never_the_head(personas, log_concern):
    concern = log_concern("staff_conduct", staff=[personas.head])
    assert _recipients(concern) == {personas.chair.email}


def test_it_never_alerts_someone_the_concern_is_about(personas, log_concern):
    concern = log_concern("cyberbullying", staff=[personas.deputy_dsl])
    assert _recipients(concern) == {personas.dsl.email}


def test_alerts_name_no_child_and_carry_no_narrative(personas, log_concern, pupil):
    log_concern("cyberbullying", what_happened="Zephyrine was sent cruel messages by a classmate.")
    sweep_outbox()
    assert len(mail.outbox) == 2
    for email in mail.outbox:
        text = email.subject + email.body
        assert pupil.first_name not in text and pupil.last_name not in text
        assert "cruel messages" not in text
        assert "/concerns/" in email.body


@pytest.mark.parametrize("category", sorted(IMAGE_CATEGORIES))
@pytest.mark.parametrize(
    "upload",
    [
        lambda: png("photo.png"),
        lambda: png("notes.txt"),  # an image renamed to look harmless
        lambda: pdf(),
    ],
)
def test_image_categories_refuse_every_attachment(log_concern, category, upload):
    with pytest.raises(EvidenceRefused) as e:
        log_concern(category, files=[upload()])
    assert "Never attach" in str(e.value)
    assert not Concern.objects.exists()
    assert not Attachment.objects.exists()


def test_it_checks_evidence_by_content_not_name(log_concern):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("screenshot.png", b"MZ\x90\x00 not an image at all")
    with pytest.raises(EvidenceRefused) as e:
        log_concern("cyberbullying", files=[fake])
    assert "contents are something else" in str(e.value)
    assert not Concern.objects.exists()


def test_it_stores_permitted_evidence_under_a_random_name(log_concern, settings):
    concern = log_concern("cyberbullying", files=[png("Zephyrine chat.png"), pdf()])
    names = [a.file.name for a in concern.attachments.all()]
    assert len(names) == 2
    assert all("Zephyrine" not in n for n in names)
    stored = concern.attachments.get(content_type="image/png")
    assert stored.file.read() == PNG
    assert concern.attachments.get(content_type="application/pdf").file.read() == PDF
    assert str(settings.PRIVATE_ROOT) in stored.file.path


def test_it_refuses_to_close_with_a_required_step_open(personas, log_concern):
    concern = log_concern("misinformation")
    services.concern_acknowledge(actor=personas.online_safety_lead, concern=concern)
    with pytest.raises(services.ConcernError) as e:
        services.concern_close(
            actor=personas.online_safety_lead,
            concern=concern,
            outcome="Talked to the class.",
            lessons_learnt="None new.",
            parents_informed=True,
        )
    assert "Incident recorded" in str(e.value)
    assert "Education response planned" in str(e.value)
    concern.refresh_from_db()
    assert concern.status == Status.ACKNOWLEDGED


def _work_all_steps(concern, actor):
    """Tick every step done by hand: the steps a record does (KEPT_BY) are left to the record."""
    for step in concern.steps.filter(state=StepState.OPEN).exclude(key__in=KEPT_BY):
        services.step_complete(actor=actor, concern=concern, step=step, done=True, note="Done.")


def test_it_closes_when_every_step_is_done_and_lists_all_that_is_missing_otherwise(
    personas, log_concern
):
    concern = log_concern("misinformation")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    _work_all_steps(concern, personas.dsl)
    with pytest.raises(services.ConcernError) as e:
        services.concern_close(
            actor=personas.dsl,
            concern=concern,
            outcome="",
            lessons_learnt="",
            parents_informed=False,
        )
    message = str(e.value)
    assert "outcome" in message and "lessons learnt" in message and "why the parents" in message
    closed = services.concern_close(
        actor=personas.dsl,
        concern=concern,
        outcome="Assembly on checking sources.",
        lessons_learnt="Add to PSHE plan.",
        parents_informed=False,
        parents_not_informed_reason="Whole-class issue; no individual child involved.",
    )
    assert closed.status == Status.CLOSED


def test_a_step_not_applicable_needs_a_reason_and_cannot_be_recorded_twice(personas, log_concern):
    concern = log_concern("cyberbullying")
    step = concern.steps.get(key="police")
    with pytest.raises(services.ConcernError):
        services.step_complete(actor=personas.dsl, concern=concern, step=step, done=False)
    services.step_complete(
        actor=personas.dsl, concern=concern, step=step, done=False, note="No crime suspected."
    )
    with pytest.raises(services.ConcernError):
        services.step_complete(actor=personas.dsl, concern=concern, step=step, done=True)


def test_a_correction_is_a_new_entry_and_the_original_stays(personas, log_concern):
    concern = log_concern("cyberbullying")
    note = services.concern_add_note(
        actor=personas.dsl, concern=concern, text="Spoke to Y5 teacher."
    )
    correction = services.concern_correct(
        actor=personas.dsl, concern=concern, entry=note, text="It was the Y6 teacher."
    )
    note.refresh_from_db()
    assert note.text == "Spoke to Y5 teacher."
    assert correction.corrects == note


def _nudes_ready(personas, log_concern):
    concern = log_concern("nudes")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    _work_all_steps(concern, personas.dsl)
    services.review_meeting_record(
        actor=personas.dsl,
        concern=concern,
        held_on=datetime.date.today(),
        attendees="DSL, deputy DSL",
        summary="Reviewed what was shared and with whom.",
    )
    return concern


def _answer_all(personas, concern, answers):
    from incidents.categories import NUDES_QUESTIONS

    for (key, _), answer in zip(NUDES_QUESTIONS, answers, strict=True):
        services.nudes_answer(actor=personas.dsl, concern=concern, question=key, answer=answer)


def _close(personas, concern):
    return services.concern_close(
        actor=personas.dsl,
        concern=concern,
        outcome="Handled.",
        lessons_learnt="Reviewed.",
        parents_informed=True,
    )


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


def test_reopen_needs_a_reason(personas, log_concern):
    concern = log_concern("misinformation")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    _work_all_steps(concern, personas.dsl)
    _close(personas, concern)
    with pytest.raises(services.ConcernError):
        services.concern_reopen(actor=personas.dsl, concern=concern, reason=" ")
    reopened = services.concern_reopen(
        actor=personas.dsl, concern=concern, reason="New messages came to light."
    )
    assert reopened.status == Status.IN_PROGRESS


def test_escalation_goes_to_the_next_level_once_even_when_run_twice(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    concern = log_concern("cyberbullying")
    start = Message.objects.count()
    escalate_unacknowledged()
    assert Message.objects.count() == start  # not due yet
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61), tick=False):
        escalate_unacknowledged()
        escalate_unacknowledged()
    head_alerts = Message.objects.filter(
        to_email=personas.head.email, subject__startswith="Escalated"
    )
    assert head_alerts.count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=125), tick=False):
        escalate_unacknowledged()
        escalate_unacknowledged()
    assert Message.objects.filter(to_email=personas.chair.email).count() == 1
    concern.refresh_from_db()
    assert concern.escalation_level == 2


def test_immediate_risk_escalates_sooner(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    log_concern("online_sexual_abuse", immediate_risk=True)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11), tick=False):
        escalate_unacknowledged()
    assert Message.objects.filter(to_email=personas.head.email).count() == 1


def test_an_acknowledged_concern_is_not_escalated(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    concern = log_concern("cyberbullying")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=200), tick=False):
        escalate_unacknowledged()
    assert not Message.objects.filter(subject__startswith="Escalated").exists()


def test_a_pupil_of_another_school_cannot_be_added(personas, log_concern):
    from django.core.exceptions import ValidationError

    outsider = PupilFactory(school=personas.other_school)
    with pytest.raises(ValidationError):
        log_concern(pupils=[services.InvolvedPupil(outsider, "affected")])


def test_concern_numbers_run_per_school(personas, log_concern):
    a = log_concern()
    b = log_concern()
    assert (a.number, b.number) == (1, 2)
    assert a.reference != b.reference


def test_routes_cover_every_category():
    assert {info.route for info in CATEGORIES.values()} == set(Route)


def test_an_escalation_to_someone_who_cannot_open_the_concern_links_to_the_school(
    personas, log_concern
):
    from incidents.tasks import escalate_unacknowledged

    concern = log_concern("cyberbullying")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=125), tick=False):
        escalate_unacknowledged()
    head = Message.objects.get(to_email=personas.head.email, subject__startswith="Escalated")
    chair = Message.objects.get(to_email=personas.chair.email)
    assert head.link == f"/s/{personas.school.code}/concerns/{concern.code}/"
    assert chair.link == f"/s/{personas.school.code}/"
    assert "contact the DSL or the head" in chair.body


# Every child-protection concern needs its referral decision, with the reasons (KCSIE Annex C).

CHILD_PROTECTION = sorted(c for c, i in CATEGORIES.items() if i.child_protection and c != "nudes")


def _ready_to_close(personas, log_concern, category):
    staff = [personas.office] if category == Category.STAFF_CONDUCT else []
    concern = log_concern(category, staff=staff)
    actor = personas.head if category == Category.STAFF_CONDUCT else personas.dsl
    services.concern_acknowledge(actor=actor, concern=concern)
    _work_all_steps(concern, actor)
    return concern, actor


def _close_as(actor, concern):
    return services.concern_close(
        actor=actor,
        concern=concern,
        outcome="Handled.",
        lessons_learnt="Reviewed.",
        parents_informed=True,
    )


@pytest.mark.parametrize("category", CHILD_PROTECTION)
def test_a_child_protection_concern_closes_only_with_its_referral_decision(
    personas, log_concern, category
):
    concern, actor = _ready_to_close(personas, log_concern, category)
    with pytest.raises(services.ConcernError) as e:
        _close_as(actor, concern)
    assert str(e.value).splitlines()[1:] == [procedure.REFERRAL_DECISION_MISSING]
    # A referral without the reason for it is not yet the decision KCSIE asks to be kept.
    services.referral_record(
        actor=actor,
        concern=concern,
        referred=True,
        agency="police",
        referred_on=datetime.date.today(),
    )
    with pytest.raises(services.ConcernError, match="Record the referral decision"):
        _close_as(actor, concern)
    services.referral_record(
        actor=actor,
        concern=concern,
        referred=True,
        agency="lado" if category == Category.STAFF_CONDUCT else "social_care",
        referred_on=datetime.date.today(),
        reasons="Threshold for a referral met.",
    )
    assert _close_as(actor, concern).status == Status.CLOSED


def test_a_radicalisation_concern_closes_with_a_decision_not_to_refer_and_its_reasons(
    personas, log_concern
):
    concern, actor = _ready_to_close(personas, log_concern, Category.RADICALISATION)
    services.referral_record(
        actor=actor,
        concern=concern,
        referred=False,
        reasons="Talked it through with the family; no sign of being drawn in.",
    )
    assert _close_as(actor, concern).status == Status.CLOSED
    step = concern.steps.get(key="decision")
    assert step.state == StepState.DONE


@pytest.mark.parametrize(
    "category", sorted(c for c, i in CATEGORIES.items() if not i.child_protection)
)
def test_a_concern_outside_child_protection_closes_without_a_referral_decision(
    personas, log_concern, category
):
    concern, actor = _ready_to_close(personas, log_concern, category)
    assert _close_as(actor, concern).status == Status.CLOSED


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


# A record does its step: the DSL never records the same fact twice.


def test_each_record_completes_its_step_with_a_link_to_it(personas, log_concern):
    concern = log_concern("nudes")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    services.review_meeting_record(
        actor=personas.dsl,
        concern=concern,
        held_on=datetime.date.today(),
        attendees="DSL",
        summary="Reviewed.",
    )
    _answer_all(personas, concern, [False] * 5)
    decision = services.nudes_decision_record(
        actor=personas.dsl, concern=concern, reasons="Same age, consensual."
    )
    steps = {s.key: s for s in concern.steps.all()}
    entries = concern.entries
    assert steps["notify_dsl"].entry == entries.get(kind=EntryKind.STATUS, text="Acknowledged.")
    assert steps["initial_review"].entry == entries.get(kind=EntryKind.REVIEW)
    assert steps["referral_decision"].entry == entries.get(kind=EntryKind.REFERRAL)
    assert decision.reasons in steps["referral_decision"].entry.text
    for key in ("notify_dsl", "initial_review", "referral_decision"):
        assert (steps[key].state, steps[key].done_by) == (StepState.DONE, personas.dsl), key
    assert steps["inform_parents"].state == StepState.OPEN

    _work_all_steps(concern, personas.dsl)
    _close(personas, concern)
    parents = concern.steps.get(key="inform_parents")
    assert (parents.state, parents.done_by) == (StepState.DONE, personas.dsl)
    assert parents.entry == entries.get(kind=EntryKind.CLOSED)
    # Nothing left open: every step was done once, by hand or by its record.
    assert not concern.steps.filter(state=StepState.OPEN).exists()


def test_a_step_done_by_hand_links_to_its_own_entry(personas, log_concern):
    concern = log_concern("cyberbullying")
    step = services.step_complete(
        actor=personas.dsl,
        concern=concern,
        step=concern.steps.get(key="evidence"),
        done=True,
        note="Screenshots kept.",
    )
    assert step.entry.kind == EntryKind.STEP
    assert "Screenshots kept." in step.entry.text


def test_the_head_acknowledging_an_allegation_is_the_head_informed_step(personas, log_concern):
    concern = log_concern("staff_conduct", staff=[personas.office])
    services.concern_acknowledge(actor=personas.head, concern=concern)
    step = concern.steps.get(key="head_informed")
    assert (step.state, step.done_by) == (StepState.DONE, personas.head)


def test_a_referral_to_an_agency_completes_that_agencys_step(personas, log_concern):
    concern = log_concern("online_sexual_abuse")
    services.referral_record(
        actor=personas.dsl,
        concern=concern,
        referred=True,
        agency="police",
        referred_on=datetime.date.today(),
        reference="101-778",
        reasons="An adult asked to meet the child.",
    )
    steps = {s.key: s.state for s in concern.steps.all()}
    assert steps["police"] == StepState.DONE
    assert steps["social_care"] == StepState.OPEN  # a referral to the police is not that one


@pytest.mark.parametrize("key", sorted(KEPT_BY.keys() & {"notify_dsl", "initial_review"}))
def test_a_step_a_record_does_is_not_ticked_by_hand(personas, log_concern, key):
    concern = log_concern("nudes")
    with pytest.raises(services.ConcernError, match="Done when"):
        services.step_complete(
            actor=personas.dsl, concern=concern, step=concern.steps.get(key=key), done=True
        )
    assert concern.steps.get(key=key).state == StepState.OPEN


# Every write about a concern takes its lock and refuses a closed concern.


def _closed(personas, log_concern):
    concern = log_concern("misinformation")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    _work_all_steps(concern, personas.dsl)
    return _close(personas, concern)


def test_a_referral_cannot_be_added_to_a_closed_concern(personas, log_concern):
    concern = _closed(personas, log_concern)
    with pytest.raises(services.ConcernError, match="closed"):
        services.referral_record(
            actor=personas.dsl, concern=concern, referred=False, reasons="Too late."
        )
    assert not concern.referrals.exists()


def test_the_nudes_review_cannot_be_added_to_a_closed_concern(personas, log_concern):
    concern = _nudes_ready(personas, log_concern)
    _answer_all(personas, concern, [True] + [False] * 4)
    services.referral_record(
        actor=personas.dsl,
        concern=concern,
        referred=True,
        agency="police",
        referred_on=datetime.date.today(),
        reasons="An adult is involved.",
    )
    _close(personas, concern)
    with pytest.raises(services.ConcernError, match="closed"):
        services.nudes_decision_record(actor=personas.dsl, concern=concern, reasons="Late.")


@pytest.mark.postgres
def test_a_referral_takes_the_concerns_lock_first(personas, log_concern):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    concern = log_concern("cyberbullying")
    with CaptureQueriesContext(connection) as queries:
        services.referral_record(
            actor=personas.dsl, concern=concern, referred=False, reasons="Handled in school."
        )
    statements = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert 'FROM "incidents_concern"' in statements[0]
    assert statements[0].endswith("FOR UPDATE")


# A member of staff named: an allegation must name them; indecent images naming them go to the
# head as well, with the LADO step required (DOMAIN.md: "DSL (head and LADO if a member of staff
# is involved)").


def test_an_allegation_about_staff_must_name_the_member_of_staff(personas, log_concern):
    with pytest.raises(ValidationError, match="must name the member of staff"):
        log_concern("staff_conduct", staff=[])
    assert not Concern.objects.exists()
    assert not Message.objects.exists()


def test_indecent_images_naming_staff_alert_the_head_and_require_the_lado_step(
    personas, log_concern
):
    concern = log_concern("iioc", staff=[personas.office])
    assert _recipients(concern) == {
        personas.dsl.email,
        personas.deputy_dsl.email,
        personas.head.email,
    }
    lado = concern.steps.get(key="lado")
    assert lado.required is True
    assert lado.label == "LADO informed where a member of staff is involved"
    assert "Procedure step not done: LADO informed where a member of staff is involved" in (
        procedure.missing_for_close(concern)
    )


def test_indecent_images_naming_nobody_go_to_the_dsl_with_the_lado_step_optional(
    personas, log_concern
):
    concern = log_concern("iioc")
    assert _recipients(concern) == {personas.dsl.email, personas.deputy_dsl.email}
    # There, should staff turn out to be involved, but nothing stops the concern closing.
    assert concern.steps.get(key="lado").required is False


def test_indecent_images_naming_the_head_alert_the_chair_and_never_the_head(personas, log_concern):
    log_concern("iioc", staff=[personas.head])
    alerted = set(Message.objects.values_list("to_email", flat=True))
    assert alerted == {personas.dsl.email, personas.deputy_dsl.email, personas.chair.email}


def test_the_head_told_at_once_is_not_told_again_by_escalation(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    concern = log_concern("iioc", staff=[personas.office])
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61), tick=False):
        escalate_unacknowledged()
    # The next people on the list after the head: the chair of governors.
    assert Message.objects.filter(to_email=personas.head.email).count() == 1
    assert Message.objects.filter(to_email=personas.chair.email).count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=125), tick=False):
        escalate_unacknowledged()
    assert Message.objects.filter(to_email=personas.chair.email).count() == 1
    concern.refresh_from_db()
    assert concern.escalation_level == 1
