"""What every devices service shares: the refusal, the school's settings and day, the audit line."""

import datetime
import zoneinfo

from django.db import models
from django.utils import timezone

from devices.models import DeviceSettings
from esafety.actions import ServiceRefusal
from esafety.audit.services import audit_record
from esafety.people.models import Membership, Role, School, User


class DeviceError(ServiceRefusal):
    """A rule stops this action; the message says what to do."""


def settings_for(school: School) -> DeviceSettings:
    """The school's device settings, made with their defaults on first use."""
    found, _ = DeviceSettings.objects.get_or_create(school=school)
    return found


def local_now(school: School, now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(school.timezone))


def school_today(school: School, now: datetime.datetime | None = None) -> datetime.date:
    """The school's own calendar day (a phone handed in at 00:30 BST is that day's)."""
    return local_now(school, now).date()


def roles_at(user: User, school: School) -> set[str]:
    return set(
        Membership.objects.filter(user=user, school=school, is_active=True).values_list(
            "role", flat=True
        )
    )


def require_role(user: User, school: School, *roles: str, refusal: str) -> None:
    """Services check the rule themselves, so every caller meets it (not only the view)."""
    if not roles_at(user, school) & set(roles):
        raise DeviceError(refusal)


def members_with(school: School, *roles: Role) -> list[User]:
    return list(
        User.objects.filter(
            memberships__school=school, memberships__role__in=roles, memberships__is_active=True
        ).distinct()
    )


def audit(
    actor: User | None, school: School, action: str, obj: models.Model, summary: str = ""
) -> None:
    """An event about a device never carries a child's name, a device's contents or a reason."""
    audit_record(actor=actor, school=school, action=action, obj=obj, summary=summary)


def clean_text(value: str) -> str:
    return " ".join(value.split())


def settings_update(
    *, actor: User, school: School, end_of_day: datetime.time, held_days: int
) -> DeviceSettings:
    """The school's end of day (phones still held then alert the office) and how many days a
    confiscated device may be held before the office is reminded."""
    require_role(
        actor, school, Role.OFFICE, Role.HEAD, refusal="Only the office or the head may do this."
    )
    found = settings_for(school)
    found.end_of_day, found.held_days = end_of_day, held_days
    found.full_clean()
    found.save()
    audit(actor, school, "devices.settings_changed", found, f"{end_of_day:%H:%M}, {held_days} days")
    return found
