"""The devices app's reminders, each a keyed row so a task that runs twice sends once:

- at the school's end of day, phones still held alert the office once that day;
- a confiscated device held longer than the school's number of days: the office, once a day;
- the weekly camera check: the office, once a week until this week's deletion is confirmed.

No email names a child or says what a device holds; each says what needs attention and links
to it.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from devices.models import CameraWipe, Device, DeviceStatus, Equipment, EquipmentKind, HandIn
from devices.services.common import local_now, members_with, settings_for
from devices.services.equipment import iso_week
from esafety.notify.services import Email, ReminderItem, reminder_send, reminders_send_many
from esafety.people.models import Role, School, User


def _office(school: School) -> list[User]:
    return members_with(school, Role.OFFICE) or members_with(school, Role.HEAD)


def end_of_day_alert(*, school: School, now: datetime.datetime | None = None) -> int:
    """Once, at or after the school's end of day: how many phones are still at the desk."""
    local = local_now(school, now)
    if local.time() < settings_for(school).end_of_day:
        return 0
    still = HandIn.objects.filter(school=school, day=local.date(), returned_at__isnull=True).count()
    if not still:
        return 0
    link = reverse("devices:desk", args=[school.code])
    plural = "s are" if still != 1 else " is"
    emails = [
        Email(
            recipient=u,
            subject="Phones still at the hand-in desk",
            body=f"{still} phone{plural} still held at the hand-in desk after the end of the day.",
            link=link,
        )
        for u in _office(school)
    ]
    sent = reminder_send(
        school=school,
        subject=f"school:{school.code}",
        kind="devices.end_of_day",
        period=local.date().isoformat(),
        emails=emails,
        message_kind="alert",
    )
    return int(sent)


def held_too_long(*, school: School, now: datetime.datetime | None = None) -> int:
    """A confiscated device held longer than the school's number of days: a reminder about each,
    at most once a day."""
    now = now or timezone.now()
    days = settings_for(school).held_days
    overdue = list(
        Device.objects.filter(
            school=school,
            status=DeviceStatus.HELD,
            is_evidence=False,
            taken_at__lt=now - datetime.timedelta(days=days),
        ).values_list("code", flat=True)
    )
    if not overdue:
        return 0
    office = _office(school)
    today = local_now(school, now).date().isoformat()
    items = [
        ReminderItem(
            subject=f"device:{code}",
            kind="devices.held_long",
            period=today,
            emails=[
                Email(
                    recipient=u,
                    subject="A confiscated device is waiting to go back",
                    body=(
                        f"A confiscated device has been held for more than {days} days. "
                        "Please contact the family to collect it."
                    ),
                    link=reverse("devices:device", args=[school.code, code]),
                )
                for u in office
            ],
        )
        for code in overdue
    ]
    return reminders_send_many(school=school, items=items)


def camera_wipe_reminder(*, school: School, now: datetime.datetime | None = None) -> int:
    """Once a week until this week's deletion of camera images is confirmed."""
    if not Equipment.objects.filter(school=school, kind=EquipmentKind.CAMERA).exists():
        return 0
    week = iso_week(school, now)
    if CameraWipe.objects.filter(school=school, week=week).exists():
        return 0
    emails = [
        Email(
            recipient=u,
            subject="Delete this week's images from the school cameras",
            body="Please delete the images from the school's cameras and confirm it in esafety.",
            link=reverse("devices:equipment", args=[school.code]),
        )
        for u in _office(school)
    ]
    sent = reminder_send(
        school=school,
        subject=f"school:{school.code}",
        kind="devices.camera_wipe",
        period=week,
        emails=emails,
    )
    return int(sent)
