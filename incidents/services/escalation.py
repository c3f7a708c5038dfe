"""Escalating a concern nobody has acknowledged in time: the next people on the school's list
are alerted, one level at a time.

A run finds in one query the concerns whose next level is due: the school's minutes, the level
reached and how many levels the concern's route has are all compared in SQL, so a run with
nothing to do costs one query however many concerns wait. The due ones are escalated a batch at
a time, each batch one school's, and a batch's queries do not grow with its concerns: one locked
read, one read of the staff involved, one of the school's senior members, two for each person
alerted (what they may open), the notify batch (outbox rows), one insert of timeline entries and
one of audit events, then one update of the levels.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded  # type: ignore[import-untyped]
from django.db import transaction
from django.db.models import (
    Case,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from esafety.audit.services import Entry, audit_record_many
from esafety.notify.models import Message
from esafety.notify.services import Email, ReminderItem, reminders_issue_many
from esafety.people.models import Membership, Role, School, User
from esafety.periodic import describe_exception, each
from incidents import routing
from incidents.categories import Category, Route, info
from incidents.models import Concern, ConcernStaff, EntryKind, Status, TimelineEntry
from incidents.services.common import _alert_email

logger = logging.getLogger(__name__)

# Concerns escalated in one transaction. Each batch holds its concerns' row locks until it
# commits, so a DSL acknowledging one of them waits at most one batch.
ESCALATION_BATCH = 100
KIND = "concern.escalation"

# The categories whose concerns go to the head at once when a member of staff is involved.
_HEAD_TOLD = frozenset(c.value for c in Category if info(c).head_told_when_staff_involved)
_ROLES = frozenset(
    role
    for route_levels in (*routing.ESCALATION.values(), routing.ABOUT_HEAD)
    for level in route_levels
    for role in level
    if role != "chair"
) | {Role.HEAD}


def escalation_due(concern: Concern, now: datetime.datetime) -> int:
    """The escalation level a still-unacknowledged concern should have reached by now."""
    minutes = (
        concern.school.immediate_risk_escalation_minutes
        if concern.immediate_risk
        else concern.school.escalation_minutes
    )
    waited = (now - concern.created_at).total_seconds() / 60
    # A batch read how many levels each concern has along with the concern (_with_levels).
    levels = getattr(concern, "escalation_levels", None)
    if levels is None:
        levels = routing.level_count(concern)
    return min(int(waited // minutes), levels - 1)


def _read_with(concern: Concern, annotation: str) -> bool:
    # What _with_levels annotated the concern with.
    return bool(getattr(concern, annotation))


def _head_told(concern: Concern) -> bool:
    return concern.category in _HEAD_TOLD and _read_with(concern, "staff_involved")


def _with_levels(qs: QuerySet[Concern]) -> QuerySet[Concern]:
    """routing.levels_for's answer in SQL: whether the concern is about the head, whether the
    head is told at once, and so how many levels its route has (routing.levels_from decides
    each combination, so the two cannot drift)."""
    about_head = Exists(
        Membership.objects.filter(
            school=OuterRef("school"),
            role=Role.HEAD,
            is_active=True,
            user__concerns_involved_in__concern=OuterRef("pk"),
        )
    )
    staff_involved = Exists(ConcernStaff.objects.filter(concern=OuterRef("pk")))
    told = Q(category__in=_HEAD_TOLD, staff_involved=True)
    whens = [
        When(
            Q(route=route, about_head=about) & (told if head_told else ~told),
            then=Value(len(routing.levels_from(route, about_head=about, head_told=head_told))),
        )
        for route in Route.values
        for about in (False, True)
        for head_told in (False, True)
    ]
    return qs.annotate(about_head=about_head, staff_involved=staff_involved).annotate(
        escalation_levels=Case(*whens, default=Value(0), output_field=IntegerField())
    )


def _due(now: datetime.datetime) -> QuerySet[Concern]:
    """Unacknowledged concerns whose next level is due: created at least (level + 1) times the
    school's minutes ago, and with a level left on their route."""
    minutes = Case(
        When(immediate_risk=True, then=F("school__immediate_risk_escalation_minutes")),
        default=F("school__escalation_minutes"),
        output_field=IntegerField(),
    )
    wait = ExpressionWrapper(
        (F("escalation_level") + 1) * minutes * Value(datetime.timedelta(minutes=1)),
        output_field=DurationField(),
    )
    next_level_at = ExpressionWrapper(Value(now) - wait, output_field=DateTimeField())
    return (
        _with_levels(Concern.objects.filter(status=Status.REPORTED))
        .filter(escalation_level__lt=F("escalation_levels") - 1)
        .filter(created_at__lte=next_level_at)
    )


def concerns_due_for_escalation(*, now: datetime.datetime | None = None) -> list[int]:
    return [pk for batch in _batches(now or timezone.now()) for pk in batch]


def _batches(now: datetime.datetime) -> list[list[int]]:
    """The due concerns' ids in batches of one school each: a batch's queries are per school
    (its senior members, each person alerted, the outbox and audit inserts), so a batch that
    mixed a trust's schools would cost queries for every school in it."""
    by_school: dict[int, list[int]] = defaultdict(list)
    for school_id, pk in _due(now).order_by("school_id", "id").values_list("school_id", "id"):
        by_school[school_id].append(pk)
    return [
        ids[start : start + ESCALATION_BATCH]
        for ids in by_school.values()
        for start in range(0, len(ids), ESCALATION_BATCH)
    ]


def concerns_escalate(*, now: datetime.datetime | None = None) -> int:
    """Escalate every concern whose next level is due, a batch at a time; how many levels were
    escalated. A batch that fails is tried again one concern at a time, so one bad concern is
    logged (by id) and left for the next run while the others are escalated all the same."""
    now = now or timezone.now()
    escalated = 0
    for batch in _batches(now):
        try:
            escalated += _escalate_batch(batch, now)
        except SoftTimeLimitExceeded:
            raise
        except Exception as e:
            logger.warning(
                "escalate_unacknowledged: a batch of %s concerns failed, so each is tried on its "
                "own: %s",
                len(batch),
                describe_exception(e),
            )
            escalated += each(
                batch,
                lambda concern_id: _escalate_batch([concern_id], now),
                task="escalate_unacknowledged",
                what="concern",
            )
    return escalated


def concern_escalate(*, concern_id: int, now: datetime.datetime | None = None) -> int:
    """Alert the next people on the list for each level now due; each level once, ever."""
    return _escalate_batch([concern_id], now or timezone.now())


@dataclass(frozen=True)
class _Level:
    concern: Concern
    level: int
    recipients: Sequence[User]


def _escalate_batch(ids: Sequence[int], now: datetime.datetime) -> int:
    """Escalate these concerns to every level now due, in one transaction.

    Safe to run twice or in two workers at once: each concern is locked (one another worker or
    a DSL holds is skipped, and tried next run), its level is read again under the lock, and
    each level is a keyed reminder (notify's reminders_issue_many), which one run issues, with
    its alerts, and every other run finds issued.
    """
    with transaction.atomic():
        locked = list(
            _due(now)
            .filter(pk__in=ids)
            .select_related("school")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("-created_at", "-id")
        )
        due = {concern.pk: escalation_due(concern, now) for concern in locked}
        concerns = [c for c in locked if due[c.pk] > c.escalation_level]
        if not concerns:
            return 0
        levels = _levels_to_alert(concerns, due)
        issued = _alerts_queue(levels, now)
        _record(issued, now)
        for concern in concerns:
            concern.escalation_level = due[concern.pk]
        Concern.objects.bulk_update(concerns, ["escalation_level"])
    return len(issued)


def _levels_to_alert(concerns: list[Concern], due: dict[int, int]) -> list[_Level]:
    """Who to alert at each level now due, as routing.recipients says: never anyone the concern
    is about, nor the person who logged it; in the order the members joined."""
    involved: dict[int, set[int]] = defaultdict(set)
    links = ConcernStaff.objects.filter(concern__in=concerns).values_list("concern_id", "user_id")
    for concern_id, user_id in links:
        involved[concern_id].add(user_id)
    members: dict[int, list[Membership]] = defaultdict(list)
    for membership in (
        Membership.objects.filter(
            school_id__in={c.school_id for c in concerns}, is_active=True, user__is_active=True
        )
        .filter(Q(role__in=_ROLES) | Q(role=Role.GOVERNOR, is_chair=True))
        .select_related("user")
        .order_by("id")
    ):
        members[membership.school_id].append(membership)
    levels = []
    for concern in concerns:
        route_levels = routing.levels_from(
            concern.route,
            about_head=_read_with(concern, "about_head"),
            head_told=_head_told(concern),
        )
        excluded = involved[concern.pk] | {concern.reported_by_id}
        for level in range(concern.escalation_level + 1, due[concern.pk] + 1):
            users = _members(members[concern.school_id], route_levels[level])
            levels.append(_Level(concern, level, [u for u in users if u.pk not in excluded]))
    return levels


def _members(memberships: list[Membership], roles: frozenset[str]) -> list[User]:
    # routing._members over memberships read once: the plain roles first, then the chair.
    users: dict[int, User] = {}
    for m in memberships:
        if m.role in roles and m.role != "chair":
            users.setdefault(m.user_id, m.user)
    if "chair" in roles:
        for m in memberships:
            if m.role == Role.GOVERNOR and m.is_chair:
                users.setdefault(m.user_id, m.user)
    return list(users.values())


def _openable(levels: list[_Level]) -> set[tuple[int, int]]:
    """(user id, concern id) for each recipient who may open the concern: two queries per
    person alerted in the batch (their memberships, and which of these concerns they may
    open), by the same rule as the concern's page."""
    from esafety.people.access import school_access
    from incidents.selectors import concerns_for

    wanted: dict[tuple[int, int], tuple[User, School, set[int]]] = {}
    for item in levels:
        for user in item.recipients:
            key = (item.concern.school_id, user.pk)
            wanted.setdefault(key, (user, item.concern.school, set()))[2].add(item.concern.pk)
    openable = set()
    for user, school, concern_ids in wanted.values():
        access = school_access(user, school.code)
        for pk in concerns_for(access).filter(pk__in=concern_ids).values_list("pk", flat=True):
            openable.add((user.pk, pk))
    return openable


def _minutes(concern: Concern, now: datetime.datetime) -> int:
    return int((now - concern.created_at).total_seconds() // 60)


def _alerts_queue(levels: list[_Level], now: datetime.datetime) -> list[_Level]:
    """Issue each level's keyed reminder with its alerts, school by school; the levels issued
    by this run (another run may have issued some already)."""
    openable = _openable(levels)
    by_school: dict[int, list[tuple[_Level, ReminderItem]]] = defaultdict(list)
    for item in levels:
        concern = item.concern
        subject = f"Escalated: concern {concern.reference} not acknowledged"
        body = (
            f"An online-safety concern at {concern.school.name} has not been acknowledged after "
            f"{_minutes(concern, now)} minutes. Please make sure it is picked up now."
        )
        emails: list[Email] = [
            _alert_email(concern, user, subject, body, can_open=(user.pk, concern.pk) in openable)
            for user in item.recipients
        ]
        reminder = ReminderItem(
            subject=f"concern:{concern.code}", kind=KIND, period=str(item.level), emails=emails
        )
        by_school[concern.school_id].append((item, reminder))
    issued_keys: set[tuple[str, str, str]] = set()
    for pairs in by_school.values():
        school = pairs[0][0].concern.school
        issued_keys |= reminders_issue_many(
            school=school, items=[r for _, r in pairs], message_kind=Message.Kind.ALERT
        )
    return [item for pairs in by_school.values() for item, r in pairs if r.key in issued_keys]


def _record(issued: list[_Level], now: datetime.datetime) -> None:
    """A timeline entry and an audit event for each level escalated, in one insert each."""
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            concern=item.concern,
            kind=EntryKind.ESCALATED,
            author=None,
            text=f"Escalated to level {item.level}: not acknowledged after "
            f"{_minutes(item.concern, now)} minutes.",
        )
        for item in issued
    )
    by_school: dict[int, list[_Level]] = defaultdict(list)
    for item in issued:
        by_school[item.concern.school_id].append(item)
    for items in by_school.values():
        audit_record_many(
            actor=None,
            school=items[0].concern.school,
            entries=[
                Entry(
                    action="concern.escalated",
                    obj=item.concern,
                    summary=f"{item.concern.reference}: level {item.level}",
                )
                for item in items
            ],
        )
