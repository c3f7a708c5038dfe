"""Policy reminders. Each is claimed in the Reminder log first, so a task run twice sends once."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from esafety.notify.models import Message
from esafety.notify.services import message_queue, reminder_claim
from esafety.people.models import Membership, Role, School
from policies.audiences import member_audiences
from policies.models import Acceptance, AcceptanceKind, PolicyVersion, VersionStatus
from policies.selectors.accept import outstanding_for
from policies.selectors.library import REVIEW_WARNING_DAYS

FIRST_AFTER_DAYS = 7
MAX_ACCEPTANCE_REMINDERS = 4


def acceptance_reminder_due(start: datetime.datetime, now: datetime.datetime) -> int:
    """Which reminder (1 to 4) is due: the first a week after the obligation began, then one a
    week, never more than four. 0 when none is due yet."""
    days = (now - start).days
    if days < FIRST_AFTER_DAYS:
        return 0
    return min(MAX_ACCEPTANCE_REMINDERS, days // 7)


def send_acceptance_reminders(*, school: School, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    versions = list(
        PolicyVersion.objects.filter(
            policy__school=school, status=VersionStatus.PUBLISHED, policy__requires_acceptance=True
        ).select_related("policy")
    )
    if not versions:
        return 0
    roles_by_user: dict = {}
    joined: dict = {}
    for m in Membership.objects.filter(
        school=school, is_active=True, user__is_active=True
    ).select_related("user"):
        roles_by_user.setdefault(m.user, set()).add(m.role)
        joined[m.user] = max(joined.get(m.user, m.created_at), m.created_at)
    sent = 0
    accepted = set(
        Acceptance.objects.filter(version__in=versions, kind=AcceptanceKind.OWN).values_list(
            "version_id", "user_id"
        )
    )
    for user, roles in roles_by_user.items():
        audiences = member_audiences(roles)
        # A parent may owe only co-signatures (a pupils' AUP is not in their own audiences), so
        # the shortcut below is for everyone else.
        if Role.PARENT not in roles:
            relevant = [v for v in versions if audiences & set(v.policy.audiences)]
            if all((v.pk, user.pk) in accepted for v in relevant):
                continue
        outstanding = outstanding_for(school=school, user=user, roles=frozenset(roles))
        for version in outstanding.own + [v for v, _child in outstanding.cosign]:
            # The obligation began when the version was published or the person joined.
            start = max(version.published_at, joined[user])
            due = acceptance_reminder_due(start, now)
            if not due:
                continue
            with transaction.atomic():
                reminder = reminder_claim(
                    school=school,
                    subject=f"acceptance:{version.code}:{user.code}",
                    kind="policies.acceptance",
                    period=str(due),
                )
                if reminder is None:
                    continue
                reminder.message = message_queue(
                    kind=Message.Kind.REMINDER,
                    school=school,
                    recipient=user,
                    subject=f"Please read and accept: {version.policy.title}",
                    body=f"{school.name} asks you to read and accept {version.policy.title} "
                    f"(version {version.number}).",
                    link=reverse("policies:accept", args=[school.code]),
                )
                reminder.save(update_fields=["message"])
                sent += 1
    return sent


def send_review_reminders(*, school: School, today: datetime.date | None = None) -> int:
    """Tell each policy's owner 30 days before its review is due, once per review date."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=REVIEW_WARNING_DAYS)
    sent = 0
    for version in PolicyVersion.objects.filter(
        policy__school=school,
        status=VersionStatus.PUBLISHED,
        next_review_due__gte=today,
        next_review_due__lte=soon,
    ).select_related("policy__owner"):
        with transaction.atomic():
            reminder = reminder_claim(
                school=school,
                subject=f"version:{version.code}",
                kind="policies.review_due",
                period=version.next_review_due.isoformat(),
            )
            if reminder is None:
                continue
            reminder.message = message_queue(
                kind=Message.Kind.REMINDER,
                school=school,
                recipient=version.policy.owner,
                subject=f"Review due: {version.policy.title}",
                body=f"{version.policy.title} at {school.name} is due for review on "
                f"{version.next_review_due:%d %B %Y}.",
                link=reverse("policies:policy_detail", args=[school.code, version.policy.code]),
            )
            reminder.save(update_fields=["message"])
            sent += 1
    return sent
