import datetime
import smtplib
import threading
import uuid

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from esafety.notify import outbox, services, tasks
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


# --- The sweep's queries grow with its batches, not its messages (issue 9) -------------------


def _sweep_queries() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        sent = tasks.sweep_outbox()
    return len(captured), sent


def test_sweeping_fifty_messages_costs_what_sweeping_five_does(personas, monkeypatch):
    # Both within one batch: the cost of a batch does not grow with its messages.
    monkeypatch.setattr(outbox, "SWEEP_BATCH", 50)

    def sweep(count: int) -> int:
        for i in range(count):
            queue_alert(personas.school, to_email=f"member{i}@oakfield.test")
        queries, sent = _sweep_queries()
        assert sent == count
        return queries

    few = sweep(5)
    many = sweep(50)
    # The batch's claim (a locked read and an update), the sends' one update, and the read
    # that finds nothing more, with the savepoints of the two claims' transactions.
    assert many == few <= 8
    assert Message.objects.filter(sent_at__isnull=True).count() == 0
    assert len(mail.outbox) == 55
    # Nothing left to do: the one read (in its savepoint here, inside the test's transaction).
    assert _sweep_queries() == (3, 0)


def test_a_sweep_of_more_than_a_batch_costs_a_few_queries_a_batch(personas, monkeypatch):
    monkeypatch.setattr(outbox, "SWEEP_BATCH", 10)
    for i in range(25):
        queue_alert(personas.school, to_email=f"member{i}@oakfield.test")
    queries, sent = _sweep_queries()
    assert sent == 25
    assert queries <= 3 * 5 + 3  # three batches, and the read that finds nothing more
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"member{i}@oakfield.test" for i in range(25)
    )


def test_a_refused_send_in_a_batch_backs_off_alone(personas, monkeypatch):
    messages = [queue_alert(personas.school, to_email=f"m{i}@oakfield.test") for i in range(4)]
    real_send = services.send_mail

    def refuse_one(**kwargs):
        if kwargs["recipient_list"] == ["m2@oakfield.test"]:
            raise smtplib.SMTPRecipientsRefused({"m2@oakfield.test": (550, b"no such user")})
        return real_send(**kwargs)

    monkeypatch.setattr(services, "send_mail", refuse_one)
    assert tasks.sweep_outbox() == 3
    for message in messages:
        message.refresh_from_db()
        assert message.attempts == 1
    refused = messages[2]
    assert refused.sent_at is None and refused.claimed_at is None
    assert refused.retry_at > timezone.now() and "no such user" in refused.last_error
    assert all(m.sent_at is not None and m.last_error == "" for m in messages if m != refused)
    assert tasks.sweep_outbox() == 0  # backing off


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_never_claim_the_same_message(personas):
    messages = [queue_alert(personas.school, to_email=f"m{i}@oakfield.test") for i in range(6)]
    claimed_first: list[int] = []
    claimed = threading.Event()
    release = threading.Event()

    def claim_and_hold() -> None:
        try:
            with transaction.atomic():
                claimed_first.extend(m.pk for m in outbox.messages_claim_due(limit=3))
                claimed.set()
                release.wait(10)  # the first sweep's claim is not committed yet
        finally:
            connection.close()

    holder = threading.Thread(target=claim_and_hold)
    holder.start()
    try:
        assert claimed.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # a sweep that waited would fail here
        second = [m.pk for m in outbox.messages_claim_due(limit=10)]
    finally:
        release.set()
        holder.join(10)
    assert claimed_first == [m.pk for m in messages[:3]]
    assert second == [m.pk for m in messages[3:]]
