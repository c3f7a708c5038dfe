"""A failed check opens one task for the senior leader, which stays open until resolved; the
reminders go through notify's keyed log, so a sweep run twice sends once."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from esafety.notify.models import Message, Reminder
from filtering import reminders, tasks
from filtering.models import CheckCategory, CheckTask, DeviceType, UserGroup
from filtering.selectors import status
from filtering.services import checks
from filtering.services.common import FilteringError


def test_a_failed_check_opens_one_task_for_the_named_senior_leader(named, record_check):
    check = record_check(failed=True)
    task = CheckTask.objects.get()
    assert task.check_record == check
    assert task.assigned_to == named.head
    assert task.resolved_at is None
    # The head is told at once, by a keyed reminder.
    assert (
        Message.objects.filter(recipient=named.head, subject="A filtering check failed").count()
        == 1
    )


def test_a_passing_check_opens_no_task(named, record_check):
    record_check(failed=False)
    assert not CheckTask.objects.exists()


def test_without_a_named_senior_leader_the_head_holds_the_task(personas, record_check):
    record_check(failed=True)
    assert CheckTask.objects.get().assigned_to == personas.head


def test_a_result_not_blocked_needs_its_action(personas):
    with pytest.raises(ValidationError) as e:
        checks.check_record(
            school=personas.school,
            actor=personas.online_safety_lead,
            device_type=DeviceType.IPAD,
            user_group=UserGroup.KS2,
            tool="Test tool",
            tested_on=timezone.localdate(),
            results=[checks.Result(CheckCategory.ADULT, False, "  ")],
        )
    assert "adult_action" in e.value.error_dict
    assert not CheckTask.objects.exists()


def test_staff_cannot_record_a_check(personas):
    with pytest.raises(FilteringError):
        checks.check_record(
            school=personas.school,
            actor=personas.staff,
            device_type=DeviceType.IPAD,
            user_group=UserGroup.KS2,
            tool="Test tool",
            tested_on=timezone.localdate(),
            results=[checks.Result(CheckCategory.ADULT, True)],
        )


def test_the_task_stays_open_until_resolved_and_is_resolved_once(named, record_check):
    record_check(failed=True)
    task = CheckTask.objects.get()
    later = timezone.now() + datetime.timedelta(days=30)
    with time_machine.travel(later, tick=False):
        # A month on, nothing has closed it by itself.
        assert status.open_task_count(school=named.school) == 1
        checks.task_resolve(
            task=task, actor=named.online_safety_lead, resolution="Fixed, re-tested."
        )
    assert status.open_task_count(school=named.school) == 0
    task.refresh_from_db()
    assert task.resolved_by == named.online_safety_lead
    with pytest.raises(FilteringError):
        checks.task_resolve(task=task, actor=named.head, resolution="Again.")
    assert CheckTask.objects.count() == 1


def test_resolving_needs_words(named, record_check):
    record_check(failed=True)
    with pytest.raises(ValidationError):
        checks.task_resolve(task=CheckTask.objects.get(), actor=named.head, resolution=" ")
    assert CheckTask.objects.get().resolved_at is None


def test_the_reminder_sweep_sends_once_when_it_runs_twice(named, record_check, record_provision):
    record_provision()  # iPads and Windows, KS2 and staff: Windows and staff still to check
    record_check(failed=True)
    next_week = timezone.now() + datetime.timedelta(days=8)
    with time_machine.travel(next_week, tick=False):
        first = tasks.send_filtering_reminders()
        second = tasks.send_filtering_reminders()
    assert first == 2  # checks due this period, and the open task's weekly reminder
    assert second == 0
    assert Reminder.objects.filter(kind="filtering.task_open").count() == 1
    assert Reminder.objects.filter(kind="filtering.check_due").count() == 1
    # A week later the task, still open, is reminded again; the period's checks are not.
    with time_machine.travel(next_week + datetime.timedelta(days=7), tick=False):
        assert tasks.send_filtering_reminders() == 1
    # Once resolved, nothing more about it.
    checks.task_resolve(task=CheckTask.objects.get(), actor=named.head, resolution="Fixed.")
    with time_machine.travel(next_week + datetime.timedelta(days=14), tick=False):
        assert reminders.send_filtering_reminders(school=named.school) == 0


def test_no_check_reminder_once_every_device_type_and_group_is_checked(
    named, record_check, record_provision
):
    record_provision(devices=[DeviceType.IPAD], user_groups=[UserGroup.KS2])
    record_check(failed=False, tested_on=timezone.localdate())
    assert status.coverage(school=named.school, today=timezone.localdate()).complete
    assert reminders.send_filtering_reminders(school=named.school) == 0
