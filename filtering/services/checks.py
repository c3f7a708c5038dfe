"""Checks that filtering works, on each device type for each user group. A failed check opens
one task for the senior leader, which stays open until someone records how it was resolved."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from esafety.notify.services import Email, reminder_send
from esafety.people.models import School, User
from filtering.models import Check, CheckCategory, CheckResult, CheckTask, DeviceType, UserGroup
from filtering.services.common import (
    KEEPER_ROLES,
    FilteringError,
    audit,
    require_roles,
    senior_leader,
)


@dataclass(frozen=True)
class Result:
    category: str
    blocked: bool
    action: str = ""


def task_email(task: CheckTask) -> Email:
    school = task.school
    return Email(
        recipient=task.assigned_to,
        subject="A filtering check failed",
        body=f"A filtering check at {school.name} found content that was not blocked. "
        "It stays on your list until it is resolved.",
        link=reverse("filtering:check_detail", args=[school.code, task.check_record.code]),
    )


@transaction.atomic
def check_record(
    *,
    school: School,
    actor: User,
    device_type: str,
    user_group: str,
    tool: str,
    tested_on: datetime.date,
    results: Sequence[Result],
    site: str = "",
) -> Check:
    require_roles(actor, school, KEEPER_ROLES, "record a check")
    if device_type not in DeviceType.values:
        raise ValidationError({"device_type": "Choose the device type tested."})
    if user_group not in UserGroup.values:
        raise ValidationError({"user_group": "Choose the user group tested."})
    if tested_on > timezone.localdate():
        raise ValidationError({"tested_on": "A check cannot be dated in the future."})
    tool = tool.strip()
    if not tool:
        raise ValidationError({"tool": "Say what was used to test (for example the test tool)."})
    if not results:
        raise FilteringError("Record the result for at least one category.")
    seen = set()
    for result in results:
        if result.category not in CheckCategory.values or result.category in seen:
            raise FilteringError("Each category is tested once.")
        seen.add(result.category)
        if not result.blocked and not result.action.strip():
            label = CheckCategory(result.category).label
            raise ValidationError(
                {f"{result.category}_action": f"{label} was not blocked: say what is done."}
            )
    failed = any(not r.blocked for r in results)
    check = Check.objects.create(
        school=school,
        device_type=device_type,
        user_group=user_group,
        site=site.strip(),
        tool=tool,
        tested_by=actor,
        tested_on=tested_on,
        recorded_at=timezone.now(),
        failed=failed,
    )
    CheckResult.objects.bulk_create(
        [
            CheckResult(
                check_record=check,
                category=r.category,
                blocked=r.blocked,
                action="" if r.blocked else r.action.strip(),
            )
            for r in results
        ]
    )
    audit(
        actor,
        school,
        "filtering.check_recorded",
        check,
        summary=f"{check.get_device_type_display()}, {check.get_user_group_display()}: "
        f"{'failed' if failed else 'passed'}",
    )
    if failed:
        _open_task(check, actor)
    return check


def _open_task(check: Check, actor: User) -> CheckTask:
    assignee = senior_leader(check.school) or actor
    task = CheckTask.objects.create(
        school=check.school, check_record=check, assigned_to=assignee, opened_at=timezone.now()
    )
    audit(actor, check.school, "filtering.task_opened", task)
    # Told at once; the daily sweep reminds them weekly while it stays open (keyed by week).
    reminder_send(
        school=check.school,
        subject=f"filteringtask:{task.code}",
        kind="filtering.task_opened",
        period="opened",
        emails=[task_email(task)],
    )
    return task


@transaction.atomic
def task_resolve(*, task: CheckTask, actor: User, resolution: str) -> CheckTask:
    require_roles(actor, task.school, KEEPER_ROLES, "resolve a failed check")
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError({"resolution": "Say how it was resolved (and re-tested)."})
    claimed = CheckTask.objects.filter(pk=task.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=resolution
    )
    if not claimed:
        raise FilteringError("This task was resolved already.")
    task.refresh_from_db()
    audit(actor, task.school, "filtering.task_resolved", task)
    return task
