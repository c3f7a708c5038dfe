"""The devices app's beat tasks: each school on its own (esafety/periodic.py)."""

from celery import shared_task

from esafety.people.models import School
from esafety.periodic import each


def _each_school(handle, task: str) -> int:
    def one(school_id: int) -> int:
        return handle(school=School.objects.get(pk=school_id))

    return each(School.objects.values_list("pk", flat=True), one, task=task, what="school")


@shared_task
def alert_phones_still_held() -> int:
    from devices.services.reminders import end_of_day_alert

    return _each_school(end_of_day_alert, "alert_phones_still_held")


@shared_task
def remind_devices_held_long() -> int:
    from devices.services.reminders import held_too_long

    return _each_school(held_too_long, "remind_devices_held_long")


@shared_task
def remind_camera_wipe() -> int:
    from devices.services.reminders import camera_wipe_reminder

    return _each_school(camera_wipe_reminder, "remind_camera_wipe")
