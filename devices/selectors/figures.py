"""The governors' figures for devices: counts only, never a name."""

import datetime
import zoneinfo

from django.db.models import Count

from devices.models import (
    Device,
    DeviceStatus,
    Equipment,
    ExceptionReason,
    HandIn,
    PhoneException,
    PoliceHandover,
    Release,
    Search,
)
from devices.selectors.desk import REVIEW_AHEAD
from esafety.people.models import School


def _range(
    school: School, start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    tz = zoneinfo.ZoneInfo(school.timezone)
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )


def completeness(*, school: School, start: datetime.date, end: datetime.date) -> list[dict]:
    """Per school day with any hand-in: phones expected at the desk and phones handed in."""
    by_day = dict(
        HandIn.objects.filter(school=school, day__gte=start, day__lte=end)
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    exceptions = list(
        PhoneException.objects.filter(school=school, starts_on__lte=end).values_list(
            "pupil_id", "reason", "starts_on", "ends_on", "ended_on"
        )
    )
    rows = []
    for day in sorted(by_day):
        current = [
            (pupil, reason)
            for pupil, reason, starts, ends, ended in exceptions
            if starts <= day and (ends is None or ends >= day) and (ended is None or ended > day)
        ]
        medical = {p for p, r in current if r == ExceptionReason.MEDICAL}
        expected = len({p for p, _ in current} - medical)
        rows.append(
            {
                "day": day.isoformat(),
                "expected": expected,
                "handed_in": by_day[day],
                "percent": round(100 * by_day[day] / expected) if expected else 100,
            }
        )
    return rows


def figures(*, school: School, start: datetime.date, end: datetime.date) -> dict[str, object]:
    since, until = _range(school, start, end)
    confiscated = Device.objects.filter(school=school, is_evidence=False)
    evidence = Device.objects.filter(school=school, is_evidence=True)
    return {
        "hand_in_completeness": completeness(school=school, start=start, end=end),
        "breaches": confiscated.filter(
            breach=True, taken_at__gte=since, taken_at__lt=until
        ).count(),
        "searches": Search.objects.filter(school=school, at__gte=since, at__lt=until).count(),
        "confiscations": confiscated.filter(taken_at__gte=since, taken_at__lt=until).count(),
        "releases": Release.objects.filter(
            device__school=school, at__gte=since, at__lt=until
        ).count(),
        "evidence_held": evidence.filter(status=DeviceStatus.HELD).count(),
        "evidence_to_police": PoliceHandover.objects.filter(
            device__school=school, at__gte=since, at__lt=until
        ).count(),
        "equipment_off_site": Equipment.objects.filter(
            school=school, off_site_with__isnull=False
        ).count(),
        "equipment_unencrypted": Equipment.objects.filter(school=school, encrypted=False).count(),
        "exceptions_due_for_review": PhoneException.objects.filter(
            school=school, ended_on__isnull=True, review_due__lte=end + REVIEW_AHEAD
        ).count(),
    }
