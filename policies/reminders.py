"""Policy reminders. Each is a keyed reminder in notify's log, so a sweep run twice sends once.

A sweep reads what it needs for the whole school in a few queries (members, versions, what has
been accepted and co-signed, parents' children) and sends through notify's batched service: its
queries grow with batches, not with the number of members.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from esafety.notify.services import Email, ReminderItem, reminders_send_many
from esafety.people.models import Guardian, Membership, Role, School, User
from policies.audiences import key_stage_audience, member_audiences
from policies.models import (
    PUPIL_AUDIENCES,
    Acceptance,
    AcceptanceKind,
    PolicyVersion,
    VersionStatus,
)
from policies.selectors.library import REVIEW_WARNING_DAYS, published_versions

FIRST_AFTER_DAYS = 7
MAX_ACCEPTANCE_REMINDERS = 4


def acceptance_reminder_due(start: datetime.datetime, now: datetime.datetime) -> int:
    """Which reminder (1 to 4) is due: the first a week after the obligation began, then one a
    week, never more than four. 0 when none is due yet."""
    days = (now - start).days
    if days < FIRST_AFTER_DAYS:
        return 0
    return min(MAX_ACCEPTANCE_REMINDERS, days // 7)


@dataclass
class _Member:
    user: User
    roles: set[str]
    joined: datetime.datetime


def _members(school: School) -> list[_Member]:
    found: dict[int, _Member] = {}
    for m in Membership.objects.filter(
        school=school, is_active=True, user__is_active=True
    ).select_related("user"):
        member = found.setdefault(m.user_id, _Member(m.user, set(), m.created_at))
        member.roles.add(m.role)
        member.joined = max(member.joined, m.created_at)
    return list(found.values())


def _outstanding(school: School) -> Iterator[tuple[_Member, PolicyVersion]]:
    """Each member and each published version they still owe: their own acceptance, or (for a
    parent) a child's co-signature. The same rule as selectors.accept.outstanding_for, for every
    member at once: five queries, whatever the size of the school."""
    # A row per version and audience it is for.
    rows = list(
        published_versions(school=school)
        .filter(policy__requires_acceptance=True)
        .annotate(audience=F("policy__applies_to__audience"))
    )
    if not rows:
        return
    by_audience: dict[str, list[PolicyVersion]] = defaultdict(list)
    for row in rows:
        by_audience[row.audience].append(row)
    accepted = set(
        Acceptance.objects.filter(
            version__in={v.pk for v in rows}, kind=AcceptanceKind.OWN
        ).values_list("version_id", "user_id")
    )
    children: dict[int, list[tuple[int, str]]] = defaultdict(list)
    cosigned: set[tuple[int, int, int]] = set()
    pupil_versions = {v.pk for v in rows if v.audience in PUPIL_AUDIENCES}
    if pupil_versions:
        # A parent's children: on the school's roll, with the parent as their guardian (as
        # people.selectors.children_of).
        for user_id, pupil_id, year_group in (
            Guardian.objects.filter(
                pupil__school=school, pupil__left_date__isnull=True, user__isnull=False
            )
            .values_list("user_id", "pupil_id", "pupil__year_group")
            .distinct()
        ):
            children[user_id].append((pupil_id, year_group))
        cosigned = set(
            Acceptance.objects.filter(
                version__in=pupil_versions, kind=AcceptanceKind.COSIGN
            ).values_list("version_id", "user_id", "pupil_id")
        )
    for member in _members(school):
        owed: dict[int, PolicyVersion] = {}
        for audience in member_audiences(member.roles):
            for version in by_audience.get(audience, []):
                if (version.pk, member.user.pk) not in accepted:
                    owed.setdefault(version.pk, version)
        if Role.PARENT in member.roles:
            for pupil_id, year_group in children.get(member.user.pk, []):
                for version in by_audience.get(key_stage_audience(year_group) or "", []):
                    if (version.pk, member.user.pk, pupil_id) not in cosigned:
                        owed.setdefault(version.pk, version)
        for version in owed.values():
            yield member, version


def send_acceptance_reminders(*, school: School, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    link = reverse("policies:accept", args=[school.code])
    items = []
    for member, version in _outstanding(school):
        # The obligation began when the version was published or the person joined.
        assert version.published_at is not None  # published versions have a date (a constraint)
        due = acceptance_reminder_due(max(version.published_at, member.joined), now)
        if not due:
            continue
        email = Email(
            recipient=member.user,
            subject=f"Please read and accept: {version.policy.title}",
            body=f"{school.name} asks you to read and accept {version.policy.title} "
            f"(version {version.number}).",
            link=link,
        )
        # One reminder a version, however many children it is owed for.
        items.append(
            ReminderItem(
                subject=f"acceptance:{version.code}:{member.user.code}",
                kind="policies.acceptance",
                period=str(due),
                emails=[email],
            )
        )
    return reminders_send_many(school=school, items=items)


def send_review_reminders(*, school: School, today: datetime.date | None = None) -> int:
    """Tell each policy's owner 30 days before its review is due, once per review date."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=REVIEW_WARNING_DAYS)
    items = []
    for version in PolicyVersion.objects.filter(
        policy__school=school,
        status=VersionStatus.PUBLISHED,
        next_review_due__gte=today,
        next_review_due__lte=soon,
    ).select_related("policy__owner"):
        assert version.next_review_due is not None  # filtered on above
        email = Email(
            recipient=version.policy.owner,
            subject=f"Review due: {version.policy.title}",
            body=f"{version.policy.title} at {school.name} is due for review on "
            f"{version.next_review_due:%d %B %Y}.",
            link=reverse("policies:policy_detail", args=[school.code, version.policy.code]),
        )
        items.append(
            ReminderItem(
                subject=f"version:{version.code}",
                kind="policies.review_due",
                period=version.next_review_due.isoformat(),
                emails=[email],
            )
        )
    return reminders_send_many(school=school, items=items)
