"""Keyed reminders (issue 8): one notify service claims a reminder, queues its emails and links
them, for one reminder or a sweep's batch; each reminder is issued once, ever."""

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esafety.notify import services
from esafety.notify.models import Message, Reminder
from esafety.notify.services import Email, ReminderItem
from tests.factories import PupilFactory
from tests.notify import helpers

# The fixture, shared here.
sqlite_real_variable_limit = helpers.sqlite_real_variable_limit


def emails_to(*users, subject="Please read and accept: Staff AUP") -> list[Email]:
    link = reverse("policies:accept", args=[users[0].memberships.first().school.code])
    return [Email(recipient=u, subject=subject, body="Please read it.", link=link) for u in users]


def item(users, subject="policy:abc", period="1", **kw) -> ReminderItem:
    return ReminderItem(
        subject=subject, kind="aup.unsigned", period=period, emails=emails_to(*users, **kw)
    )


def test_it_issues_a_reminder_once(personas):
    def send(period):
        return services.reminder_send(
            school=personas.school,
            subject="policy:abc",
            kind="aup.unsigned",
            period=period,
            emails=emails_to(personas.staff),
        )

    assert send("2026-W47") is True
    assert send("2026-W47") is False
    assert send("2026-W48") is True
    assert Message.objects.filter(recipient=personas.staff).count() == 2
    reminder = Reminder.objects.get(period="2026-W47")
    assert [m.recipient for m in reminder.messages.all()] == [personas.staff]
    assert reminder.messages.get().kind == Message.Kind.REMINDER


def test_one_reminder_may_send_to_several_people(personas):
    # An escalation: one level of one concern alerts everyone of that level, once.
    people = [personas.head, personas.dsl]
    for _ in range(2):
        services.reminder_send(
            school=personas.school,
            subject="concern:abc",
            kind="concern.escalation",
            period="1",
            emails=emails_to(*people, subject="Escalated"),
            message_kind=Message.Kind.ALERT,
        )
    reminder = Reminder.objects.get()
    assert sorted(m.recipient_id for m in reminder.messages.all()) == sorted(u.pk for u in people)
    assert set(reminder.messages.values_list("kind", flat=True)) == {Message.Kind.ALERT}


def test_a_batch_issues_only_the_new_reminders_and_each_key_once(personas):
    assert services.reminders_send_many(school=personas.school, items=[item([personas.staff])]) == 1
    batch = [
        item([personas.staff]),  # issued already
        item([personas.office], subject="policy:def"),
        item([personas.office], subject="policy:def"),  # the same key twice in one sweep
        item([personas.head], subject="policy:ghi"),
    ]
    assert services.reminders_send_many(school=personas.school, items=batch) == 2
    assert Message.objects.filter(recipient=personas.staff).count() == 1
    assert Message.objects.filter(recipient=personas.office).count() == 1
    assert Reminder.objects.count() == 3


def test_a_batch_leaves_alone_the_reminders_another_worker_claims_meanwhile(personas, monkeypatch):
    # The other worker inserts its row between this batch's read of the log and its insert.
    real = Reminder.objects.bulk_create

    def racing(objs, **kw):
        Reminder.objects.create(
            school=personas.school, subject="policy:def", kind="aup.unsigned", period="1"
        )
        return real(objs, **kw)

    monkeypatch.setattr(Reminder.objects, "bulk_create", racing)
    batch = [item([personas.staff]), item([personas.office], subject="policy:def")]
    assert services.reminders_send_many(school=personas.school, items=batch) == 1
    assert Message.objects.filter(recipient=personas.staff).count() == 1
    assert Message.objects.filter(recipient=personas.office).count() == 0


def test_a_batchs_queries_do_not_grow_with_its_reminders(personas, sqlite_real_variable_limit):
    people = [personas.staff, personas.office, personas.head, personas.governor]

    def queries(n_subjects, prefix):
        items = [
            item([p], subject=f"{prefix}:{i}:{p.pk}") for i in range(n_subjects) for p in people
        ]
        with CaptureQueriesContext(connection) as captured:
            assert services.reminders_send_many(school=personas.school, items=items) == len(items)
        return len(captured)

    assert queries(1, "a") == queries(50, "b")


def test_a_batch_hands_its_messages_off_after_commit_and_they_are_sent(
    personas, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    batch = [item([personas.staff]), item([personas.office], subject="policy:def")]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.reminders_send_many(school=personas.school, items=batch)
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1  # one hand-off for the batch
    assert sorted(m.to[0] for m in mail.outbox) == ["office@oakfield.test", "staff@oakfield.test"]
    assert not Message.objects.filter(sent_at__isnull=True).exists()


def test_a_batch_naming_a_pupil_is_refused_and_claims_nothing(personas):
    PupilFactory(school=personas.school, first_name="Amelia", last_name="Quigley")
    batch = [item([personas.staff]), item([personas.office], subject="policy:def")]
    batch.append(
        ReminderItem(
            subject="policy:ghi",
            kind="aup.unsigned",
            period="1",
            emails=emails_to(personas.head, subject="About Amelia Quigley"),
        )
    )
    with pytest.raises(services.UnsafeMessageError):
        services.reminders_send_many(school=personas.school, items=batch)
    assert not Reminder.objects.exists()
    assert not Message.objects.exists()


def test_a_batch_naming_a_pupil_in_production_sends_that_one_without_its_text(personas, settings):
    settings.DEBUG = False
    settings.TESTING = False
    PupilFactory(school=personas.school, first_name="Amelia", last_name="Quigley")
    batch = [
        item([personas.staff]),
        ReminderItem(
            subject="policy:ghi",
            kind="aup.unsigned",
            period="1",
            emails=emails_to(personas.head, subject="About Amelia Quigley"),
        ),
    ]
    assert services.reminders_send_many(school=personas.school, items=batch) == 2
    assert Message.objects.get(recipient=personas.head).subject == services.REDACTED_SUBJECT
    assert Message.objects.get(recipient=personas.staff).subject.startswith("Please read")


def test_it_keeps_the_callers_transaction_usable_after_a_repeated_reminder(personas):
    with transaction.atomic():
        services.reminders_send_many(school=personas.school, items=[item([personas.staff])])
        assert (
            services.reminders_send_many(school=personas.school, items=[item([personas.staff])])
            == 0
        )
        services.reminders_send_many(
            school=personas.school, items=[item([personas.office], subject="s:2")]
        )
    assert Message.objects.count() == 2


def test_a_sweeps_queries_grow_with_its_batches(personas, sqlite_real_variable_limit, monkeypatch):
    monkeypatch.setattr(services, "REMINDER_BATCH", 2)
    people = [personas.staff, personas.office, personas.head, personas.governor]

    def queries(n_people, prefix):
        items = [item([p], subject=f"{prefix}:{p.pk}") for p in people[:n_people]]
        with CaptureQueriesContext(connection) as captured:
            assert services.reminders_send_many(school=personas.school, items=items) == n_people
        return len(captured)

    assert queries(4, "two-batches") == 2 * queries(2, "one-batch")
