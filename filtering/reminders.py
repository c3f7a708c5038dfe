"""Filtering reminders, each a keyed row in notify's log, so a sweep run twice sends once:

- checks due: once a period (term, month or week), while a device type or user group of the
  provision has no check in it, to the senior leader and the online safety leads;
- a failed check's task: once a week while it stays open, to whoever holds it (they were told
  the day it opened);
- the annual review: 30 days before it is due, and once it is overdue, to the senior leader
  (and the head); a completed review waiting to be signed, to the named governor.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from esafety.notify.services import Email, ReminderItem, reminders_send_many
from esafety.people.models import Membership, Role, School, User
from filtering.models import CheckTask, RoleKind
from filtering.selectors import status
from filtering.services.checks import task_email
from filtering.services.common import current_roles, senior_leader


def _week_key(day: datetime.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _leads(school: School) -> list[User]:
    people = {
        m.user.pk: m.user
        for m in Membership.objects.filter(
            school=school, role=Role.ONLINE_SAFETY_LEAD, is_active=True, user__is_active=True
        ).select_related("user")
    }
    leader = senior_leader(school)
    if leader is not None:
        people.setdefault(leader.pk, leader)
    return list(people.values())


def _check_items(school: School, today: datetime.date) -> list[ReminderItem]:
    coverage = status.coverage(school=school, today=today)
    if not coverage.has_provision or coverage.complete:
        return []
    link = reverse("filtering:checks", args=[school.code])
    return [
        ReminderItem(
            subject=f"filteringchecks:{school.code}",
            kind="filtering.check_due",
            period=coverage.period.key,
            emails=[
                Email(
                    recipient=user,
                    subject="Filtering checks are due",
                    body=f"{school.name}: filtering has not yet been checked on every device "
                    f"type and for every user group this period ({coverage.period.label}).",
                    link=link,
                )
                for user in _leads(school)
            ],
        )
    ]


def _task_items(school: School, today: datetime.date) -> list[ReminderItem]:
    week = _week_key(today)
    items = []
    for task in CheckTask.objects.filter(school=school, resolved_at__isnull=True).select_related(
        "assigned_to", "check_record", "school"
    ):
        if _week_key(timezone.localdate(task.opened_at)) == week:
            continue  # told when it opened
        items.append(
            ReminderItem(
                subject=f"filteringtask:{task.code}",
                kind="filtering.task_open",
                period=week,
                emails=[task_email(task)],
            )
        )
    return items


def _review_items(school: School, today: datetime.date) -> list[ReminderItem]:
    review = status.review_status(school=school, today=today)
    link = reverse("filtering:reviews", args=[school.code])
    items = []
    if review.pending is not None:
        governor = current_roles(school).get(RoleKind.GOVERNOR)
        if governor is not None and governor.user is not None:
            items.append(
                ReminderItem(
                    subject=f"filteringreview:{review.pending.code}",
                    kind="filtering.review_sign",
                    period="completed",
                    emails=[
                        Email(
                            recipient=governor.user,
                            subject="The filtering and monitoring review needs your signature",
                            body=f"The annual review of filtering and monitoring at "
                            f"{school.name} is complete and waits for your sign-off.",
                            link=reverse(
                                "filtering:review_detail", args=[school.code, review.pending.code]
                            ),
                        )
                    ],
                )
            )
    elif review.state in ("due_soon", "overdue") and review.next_due:
        leader = senior_leader(school)
        if leader is not None:
            words = "is overdue" if review.state == "overdue" else "is due within 30 days"
            items.append(
                ReminderItem(
                    subject=f"filteringreviewdue:{school.code}",
                    kind=f"filtering.review_{review.state}",
                    period=review.next_due.isoformat(),
                    emails=[
                        Email(
                            recipient=leader,
                            subject=f"The filtering and monitoring review {words}",
                            body=f"The annual review of filtering and monitoring at "
                            f"{school.name} {words} ({review.next_due:%d %B %Y}).",
                            link=link,
                        )
                    ],
                )
            )
    return items


def send_filtering_reminders(*, school: School, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    items = _check_items(school, today) + _task_items(school, today) + _review_items(school, today)
    return reminders_send_many(school=school, items=items)
