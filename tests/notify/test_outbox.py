import datetime
import smtplib
import uuid

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from esafety.notify import services, tasks
from esafety.notify.models import Message


def queue_alert(school, **kw) -> Message:
    return services.message_queue(
        kind=Message.Kind.ALERT,
        school=school,
        to_email=kw.pop("to_email", "dsl@oakfield.test"),
        subject=kw.pop("subject", "A concern needs your attention"),
        body=kw.pop("body", "A member of staff has recorded a concern."),
        link=kw.pop("link", reverse("incidents:detail", args=[school.code, uuid.uuid4()])),
        **kw,
    )


class Boom(Exception):
    pass


def test_it_leaves_no_message_when_the_change_rolls_back(
    personas, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        queue_alert(personas.school)
        raise Boom
    assert Message.objects.count() == 0
    # Nor is a hand-off to the worker left behind for the message that never was.
    assert callbacks == []


def test_it_hands_off_after_commit_and_sends(
    personas, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = queue_alert(personas.school)
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dsl@oakfield.test"]


def test_it_sends_once_when_send_message_runs_twice(personas):
    message = queue_alert(personas.school)
    assert tasks.send_message(message.pk) is True
    assert tasks.send_message(message.pk) is False
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_it_sends_once_when_the_sweep_runs_twice(personas):
    queue_alert(personas.school)
    queue_alert(personas.school, to_email="head@oakfield.test")
    assert tasks.sweep_outbox() == 2
    assert tasks.sweep_outbox() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["dsl@oakfield.test", "head@oakfield.test"]


def test_it_does_not_send_a_message_another_worker_is_sending(personas):
    message = queue_alert(personas.school)
    assert services.message_claim(message_id=message.pk) is True
    assert tasks.sweep_outbox() == 0
    assert tasks.send_message(message.pk) is False
    assert mail.outbox == []


def test_it_releases_the_claim_and_records_the_error_when_smtp_fails(personas, monkeypatch):
    message = queue_alert(personas.school)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with monkeypatch.context() as m:
        m.setattr(services, "send_mail", refuse)
        assert tasks.send_message(message.pk) is False
    message.refresh_from_db()
    assert message.sent_at is None
    assert message.claimed_at is None
    assert message.attempts == 1
    assert "Connection unexpectedly closed" in message.last_error
    assert message.retry_at > timezone.now()

    # The sweep leaves it alone until the back-off has passed, then sends it.
    assert tasks.sweep_outbox() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert tasks.sweep_outbox() == 1
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.last_error == ""
    assert len(mail.outbox) == 1


def test_it_backs_off_while_smtp_stays_down_and_gives_up_after_about_two_days(
    personas, monkeypatch, caplog
):
    message = queue_alert(personas.school)

    def down(**kwargs):
        raise OSError("Connection refused")

    monkeypatch.setattr(services, "send_mail", down)
    start = timezone.now()
    waits = []
    with time_machine.travel(start, tick=False) as traveller:
        assert tasks.sweep_outbox() == 0
        message.refresh_from_db()
        while message.attempts < services.MAX_ATTEMPTS:
            attempts, retry_at = message.attempts, message.retry_at
            traveller.move_to(retry_at - datetime.timedelta(seconds=1))
            tasks.sweep_outbox()
            message.refresh_from_db()
            assert message.attempts == attempts, "a sweep retried before the back-off ended"
            traveller.move_to(retry_at)
            tasks.sweep_outbox()
            message.refresh_from_db()
            assert message.attempts == attempts + 1
            waits.append(retry_at - (start + sum(waits, datetime.timedelta())))
        gave_up_after = timezone.now() - start
        traveller.shift(datetime.timedelta(days=7))
        tasks.sweep_outbox()
        message.refresh_from_db()
    minutes = [w / datetime.timedelta(minutes=1) for w in waits]
    assert minutes[:7] == [1, 2, 4, 8, 16, 32, 60]
    assert max(minutes) == 60
    assert datetime.timedelta(days=1) < gave_up_after < datetime.timedelta(days=3)
    assert message.attempts == services.MAX_ATTEMPTS
    assert message.sent_at is None
    assert mail.outbox == []
    assert (
        f"giving up on message {message.pk} after {services.MAX_ATTEMPTS} attempts" in caplog.text
    )


def test_it_resends_a_message_whose_worker_died_mid_send(personas):
    message = queue_alert(personas.school)
    assert services.message_claim(message_id=message.pk) is True  # then the worker is killed
    assert tasks.sweep_outbox() == 0  # a fresh claim is respected
    with time_machine.travel(
        timezone.now() + services.CLAIM_TIMEOUT + datetime.timedelta(seconds=1)
    ):
        assert tasks.sweep_outbox() == 1
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 2
    assert len(mail.outbox) == 1
