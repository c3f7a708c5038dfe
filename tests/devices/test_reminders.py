"""Reminders are keyed: a task that runs twice sends once (time travel)."""

import datetime
import zoneinfo

import pytest
import time_machine

from devices import tasks
from devices.models import DeviceSettings
from devices.services import desk, equipment
from esafety.notify.models import Message

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def monday():
    return datetime.date(2026, 11, 30)


def test_the_end_of_day_alert_is_sent_once_when_the_task_runs_twice(personas, grant, monday):
    with time_machine.travel(_at(monday, 8, 40), tick=False):
        pupils = [grant().pupil for _ in range(3)]
        for p in pupils:
            desk.phone_check_in(actor=personas.office, pupil=p)
        desk.phone_hand_back(actor=personas.office, pupil=pupils[0])
    with time_machine.travel(_at(monday, 15, 0), tick=False):
        tasks.alert_phones_still_held()
    assert not Message.objects.filter(subject__startswith="Phones still").exists()
    for minute in (30, 40):
        with time_machine.travel(_at(monday, 15, minute), tick=False):
            tasks.alert_phones_still_held()
    alerts = Message.objects.filter(subject__startswith="Phones still")
    assert [m.recipient for m in alerts] == [personas.office]
    assert "2 phones are still held" in alerts.get().body


def test_the_school_sets_its_own_end_of_day(personas, grant, monday):
    DeviceSettings.objects.create(school=personas.school, end_of_day=datetime.time(14, 0))
    with time_machine.travel(_at(monday, 8, 40), tick=False):
        desk.phone_check_in(actor=personas.office, pupil=grant().pupil)
    with time_machine.travel(_at(monday, 14, 5), tick=False):
        tasks.alert_phones_still_held()
    assert Message.objects.filter(subject__startswith="Phones still").count() == 1


def test_the_weekly_camera_reminder_is_sent_once_a_week_until_confirmed(personas, monday):
    equipment.equipment_add(
        actor=personas.office,
        school=personas.school,
        asset_tag="CAM-1",
        kind="camera",
        description="",
        encrypted=False,
    )
    for day in (monday, monday + datetime.timedelta(days=1)):
        with time_machine.travel(_at(day, 15), tick=False):
            tasks.remind_camera_wipe()
            tasks.remind_camera_wipe()
    reminders = Message.objects.filter(subject__startswith="Delete this week")
    assert reminders.count() == 1
    next_monday = monday + datetime.timedelta(days=7)
    with time_machine.travel(_at(next_monday, 9), tick=False):
        equipment.camera_wipe_confirm(actor=personas.office, school=personas.school)
    with time_machine.travel(_at(next_monday, 15), tick=False):
        tasks.remind_camera_wipe()
    assert reminders.count() == 1
    with time_machine.travel(_at(next_monday + datetime.timedelta(days=7), 15), tick=False):
        tasks.remind_camera_wipe()
        tasks.remind_camera_wipe()
    assert reminders.count() == 2


def test_a_device_held_too_long_reminds_the_office_at_most_once_a_day(
    personas, confiscated, monday
):
    with time_machine.travel(_at(monday, 10), tick=False):
        device = confiscated()
    with time_machine.travel(_at(monday + datetime.timedelta(days=3), 8), tick=False):
        tasks.remind_devices_held_long()
    reminders = Message.objects.filter(subject__startswith="A confiscated device")
    assert not reminders.exists()
    for hour in (8, 9):
        with time_machine.travel(_at(monday + datetime.timedelta(days=6), hour), tick=False):
            tasks.remind_devices_held_long()
    assert reminders.count() == 1
    assert str(device.code) in reminders.get().link
    with time_machine.travel(_at(monday + datetime.timedelta(days=7), 8), tick=False):
        tasks.remind_devices_held_long()
    assert reminders.count() == 2
