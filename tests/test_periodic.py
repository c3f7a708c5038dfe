"""Beat's periodic tasks handle each school, concern, message and import on its own.

One school's bad data used to stop the escalations of every school (a zero in its escalation
minutes raised inside the loop). Now the database refuses such a value, and a failing item is
logged, with what was raised and no child's name, and left for the next run while the others go
on.
"""

import datetime
import logging

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from esafety.audit import tasks as audit_tasks
from esafety.audit.services import audit_record
from esafety.notify import services as notify_services
from esafety.notify import tasks as notify_tasks
from esafety.notify.models import Message
from esafety.people import tasks as people_tasks
from esafety.people.models import Role, School
from esafety.people.roster import services as roster_services
from incidents import services as incident_services
from incidents.models import PupilRole
from incidents.services import escalation as incident_escalation
from incidents.tasks import escalate_unacknowledged
from policies import reminders
from policies import tasks as policy_tasks
from tests.conftest import make_member
from tests.factories import PupilFactory


@pytest.fixture
def birchwood(personas):
    """The other school, staffed enough for an escalation to reach its head."""
    school = personas.other_school
    return {
        "staff": make_member(school, Role.STAFF, "staff@birchwood.test", "Bo Staff"),
        "head": make_member(school, Role.HEAD, "head@birchwood.test", "Bea Head"),
    }


def _log(school, actor, pupil, **kw):
    return incident_services.concern_log(
        actor=actor,
        school=school,
        category="cyberbullying",
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        location="Playground",
        what_happened="Unkind messages in a group chat.",
        pupils=[incident_services.InvolvedPupil(pupil, PupilRole.AFFECTED)],
        **kw,
    )


@pytest.mark.parametrize("field", ["escalation_minutes", "immediate_risk_escalation_minutes"])
def test_the_database_refuses_zero_escalation_minutes(personas, field):
    school = personas.school
    setattr(school, field, 0)
    with pytest.raises(ValidationError) as e:
        school.full_clean()
    assert field in e.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        School.objects.filter(pk=school.pk).update(**{field: 0})
    with pytest.raises(IntegrityError), transaction.atomic():
        School.objects.filter(pk=school.pk).update(**{field: 7 * 24 * 60 + 1})


def test_one_schools_bad_escalation_data_leaves_the_others_escalated(
    personas, birchwood, monkeypatch, caplog
):
    oak_pupil = PupilFactory(school=personas.school, first_name="Zephyrine", last_name="Quill")
    birch_pupil = PupilFactory(school=personas.other_school, first_name="Ottoline", last_name="Fay")
    oak = _log(personas.school, personas.staff, oak_pupil, immediate_risk=True)
    birch = _log(personas.other_school, birchwood["staff"], birch_pupil, immediate_risk=True)

    # Oakfield's row as an older release let it be saved: the constraint now refuses a zero,
    # so the zero is put on the loaded row, where the escalation loop divides by it.
    real_due = incident_services.escalation_due

    def due_with_oakfields_old_zero(concern, now):
        if concern.school_id == personas.school.pk:
            concern.school.immediate_risk_escalation_minutes = 0
        return real_due(concern, now)

    # concern_escalate reads escalation_due from its own module.
    monkeypatch.setattr(incident_escalation, "escalation_due", due_with_oakfields_old_zero)
    later = timezone.now() + datetime.timedelta(minutes=11)
    with (
        time_machine.travel(later, tick=False),
        caplog.at_level(logging.ERROR, logger="esafety.periodic"),
    ):
        assert escalate_unacknowledged() == 1

    assert Message.objects.filter(to_email="head@birchwood.test", subject__startswith="Escalated")
    assert not Message.objects.filter(to_email=personas.head.email, subject__startswith="Escal")
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    text = error.getMessage()
    assert f"concern {oak.pk} failed and is left for the next run" in text
    assert "ZeroDivisionError" in text and "escalation_due" in text
    for name in ("Zephyrine", "Quill", "Ottoline", "Fay"):
        assert name not in caplog.text
    birch.refresh_from_db()
    oak.refresh_from_db()
    assert (birch.escalation_level, oak.escalation_level) == (1, 0)

    # Mended, the next run escalates Oakfield's concern too, and Birchwood's is not sent again.
    monkeypatch.setattr(incident_escalation, "escalation_due", real_due)
    with time_machine.travel(later, tick=False):
        assert escalate_unacknowledged() == 1
    assert Message.objects.filter(to_email=personas.head.email, subject__startswith="Escal")
    assert Message.objects.filter(to_email="head@birchwood.test").count() == 1


def test_policy_reminders_go_on_past_a_school_that_fails(personas, monkeypatch, caplog):
    calls = []

    def recorder(kind):
        def send(*, school, **kw):
            calls.append((school.pk, kind))
            if school.pk == personas.school.pk and kind == "acceptance":
                raise ValueError("Failing row contains (Zephyrine Quill)\nDETAIL: more")
            return 1

        return send

    for kind, name in (
        ("acceptance", "send_acceptance_reminders"),
        ("review", "send_review_reminders"),
    ):
        monkeypatch.setattr(reminders, name, recorder(kind))
    with caplog.at_level(logging.ERROR, logger="esafety.periodic"):
        assert policy_tasks.send_policy_reminders() == 3

    # Oakfield's other reminders and every one of Birchwood's went out.
    assert sorted(calls) == sorted(
        (school.pk, kind)
        for school in (personas.school, personas.other_school)
        for kind in ("acceptance", "review")
    )
    assert f"school {personas.school.pk} reminder kind acceptance failed" in caplog.text
    assert "builtins.ValueError: Failing row contains" in caplog.text
    # Only the first line of the message: PostgreSQL's DETAIL can quote a whole row.
    assert "DETAIL" not in caplog.text


def test_the_outbox_sweep_sends_the_rest_when_one_message_fails(personas, monkeypatch, caplog):
    def queue(to_email):
        return notify_services.message_queue(
            kind=Message.Kind.ALERT,
            school=personas.school,
            to_email=to_email,
            subject="A concern needs your attention",
            body="A member of staff has recorded a concern.",
        )

    broken, fine = queue("dsl@oakfield.test"), queue("head@oakfield.test")
    real_render = notify_services.message_render

    def render(*, message):
        if message.pk == broken.pk:
            raise RuntimeError("template blew up")
        return real_render(message=message)

    monkeypatch.setattr(notify_services, "message_render", render)
    with caplog.at_level(logging.ERROR, logger="esafety.periodic"):
        assert notify_tasks.sweep_outbox() == 1
    assert [m.to for m in mail.outbox] == [["head@oakfield.test"]]
    assert f"message {broken.pk} failed" in caplog.text
    fine.refresh_from_db()
    broken.refresh_from_db()
    assert fine.sent_at is not None and broken.sent_at is None

    # Once its claim has run out (a worker may still be sending it), the next sweep sends it.
    monkeypatch.setattr(notify_services, "message_render", real_render)
    with time_machine.travel(timezone.now() + notify_services.CLAIM_TIMEOUT * 2, tick=False):
        assert notify_tasks.sweep_outbox() == 1
    assert len(mail.outbox) == 2


def test_the_roster_sweep_runs_the_rest_when_one_import_fails(monkeypatch, caplog, db):
    ran = []

    def run(*, roster_import_id):
        if roster_import_id == 1:
            raise RuntimeError("disk full")
        ran.append(roster_import_id)
        return True

    monkeypatch.setattr(roster_services, "roster_imports_to_sweep", lambda: [1, 2, 3])
    monkeypatch.setattr(roster_services, "roster_import_run", run)
    with caplog.at_level(logging.ERROR, logger="esafety.periodic"):
        assert people_tasks.sweep_roster_imports() == 2
    assert ran == [2, 3]
    assert "roster import 1 failed" in caplog.text


def test_the_nightly_audit_check_checks_the_other_schools_when_one_fails(
    personas, monkeypatch, caplog
):
    for school in (personas.school, personas.other_school):
        audit_record(actor=None, school=school, action="test.step")
    real_report = audit_tasks.chain_report

    def report(*, events):
        if events.filter(school=personas.school).exists():
            raise RuntimeError("unreadable row")
        return real_report(events=events)

    monkeypatch.setattr(audit_tasks, "chain_report", report)
    with caplog.at_level(logging.INFO):
        assert audit_tasks.verify_chain.apply().get() == 0
    assert f"school chain {personas.school.pk} failed" in caplog.text
    assert f"per school {{{personas.other_school.pk}: 1}}" in caplog.text
