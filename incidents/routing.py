"""Who is told about a concern, and who is told next when nobody acknowledges it."""

from collections.abc import Collection, Iterable
from typing import cast

from django.db.models import Q, QuerySet

from esafety.baked import Values, baked, fields_of
from esafety.people.access import SchoolAccess
from esafety.people.models import Membership, Role, School, User
from incidents.categories import Route, info
from incidents.models import Concern
from incidents.selectors import OPENING_ROLES

# Each level is a set of roles ("chair" is the chair of governors). Level 0 is alerted when the
# concern is logged; each later level when the previous one has not acknowledged in time.
ESCALATION: dict[str, tuple[frozenset[str], ...]] = {
    Route.DSL: (
        frozenset({Role.DSL, Role.DEPUTY_DSL}),
        frozenset({Role.HEAD}),
        frozenset({"chair"}),
    ),
    Route.ONLINE_SAFETY_LEAD: (
        frozenset({Role.ONLINE_SAFETY_LEAD, Role.DSL}),
        frozenset({Role.DEPUTY_DSL, Role.HEAD}),
    ),
    Route.HEAD: (
        frozenset({Role.HEAD}),
        frozenset({Role.DSL}),
        frozenset({"chair"}),
    ),
}
# A concern about the head goes to the chair of governors, and never to the head.
ABOUT_HEAD: tuple[frozenset[str], ...] = (frozenset({"chair"}), frozenset({Role.DSL}))


def involved_user_ids(concern: Concern) -> set[int]:
    return set(concern.staff_links.values_list("user_id", flat=True))


def _holds(roles: frozenset[str]) -> Q:
    held = Q(role__in=[r for r in roles if r != "chair"])
    return held | Q(role=Role.GOVERNOR, is_chair=True) if "chair" in roles else held


def _members_from(memberships: Iterable[Membership], roles: frozenset[str]) -> list[User]:
    # The plain roles first, then the chair; each in the order they joined, as escalation's
    # batch reads them.
    memberships = list(memberships)
    users: dict[int, User] = {}
    for m in memberships:
        if m.role in roles and m.role != "chair":
            users.setdefault(m.user_id, m.user)
    if "chair" in roles:
        for m in memberships:
            if m.role == Role.GOVERNOR and m.is_chair:
                users.setdefault(m.user_id, m.user)
    return list(users.values())


def _members(school, roles: frozenset[str]) -> list[User]:
    qs = Membership.objects.filter(school=school, is_active=True, user__is_active=True)
    return _members_from(qs.filter(_holds(roles)).select_related("user").order_by("id"), roles)


def levels_for(concern: Concern) -> tuple[frozenset[str], ...]:
    if concern.route == Route.HEAD and concern_is_about_head(concern):
        return ABOUT_HEAD
    return _with_told_at_once(ESCALATION[concern.route], also_told_at_once(concern))


def levels_from(route: str, *, about_head: bool, head_told: bool) -> tuple[frozenset[str], ...]:
    """levels_for from what it reads about a concern, for a batch that read it for many at once:
    whether it is about the head, and whether its category tells the head at once when staff
    are involved and staff are."""
    if route == Route.HEAD and about_head:
        return ABOUT_HEAD
    also = ("chair" if about_head else Role.HEAD) if head_told else None
    return _with_told_at_once(ESCALATION[route], also)


def _with_told_at_once(
    levels: tuple[frozenset[str], ...], also: str | None
) -> tuple[frozenset[str], ...]:
    if also:
        # Told at once, so not again as a later level; a level left empty is dropped.
        later = (level - {also} for level in levels[1:])
        levels = (levels[0] | {also}, *(level for level in later if level))
    return levels


def also_told_at_once(concern: Concern) -> str | None:
    """The head (the chair of governors when it is about the head) when the category says a
    concern naming a member of staff goes to them too: IIOC, DOMAIN.md's "DSL (head and LADO if
    a member of staff is involved)"."""
    if not info(concern.category).head_told_when_staff_involved:
        return None
    if not concern.staff_links.exists():
        return None
    return "chair" if concern_is_about_head(concern) else Role.HEAD


def concern_is_about_head(concern: Concern) -> bool:
    return Membership.objects.filter(
        school=concern.school,
        role=Role.HEAD,
        is_active=True,
        user_id__in=concern.staff_links.values("user_id"),
    ).exists()


def recipients(concern: Concern, level: int) -> list[User]:
    """Who to alert at this escalation level: never anyone the concern is about, nor the
    person who logged it."""
    levels = levels_for(concern)
    if level >= len(levels):
        return []
    excluded = involved_user_ids(concern) | {concern.reported_by_id}
    return [u for u in _members(concern.school, levels[level]) if u.pk not in excluded]


def named_head(school: School, staff: Collection[User]) -> bool:
    """concern_is_about_head for a concern not saved yet, from the staff it will name."""
    return bool(staff) and (
        Membership.objects.filter(
            school=school, role=Role.HEAD, is_active=True, user__in=list(staff)
        ).exists()
    )


@baked
def _alertable(shape: tuple[str, ...], v: Values) -> QuerySet:
    """The school's active memberships of active members holding one of the roles (`shape`)."""
    memberships = (
        Membership.objects.filter(school_id=v.school, is_active=True, user__is_active=True)
        .filter(_holds(frozenset(shape)))
        .order_by("id")
    )
    return cast(QuerySet, memberships.values(*fields_of(Membership, ("user",))))


def first_alerted(
    concern: Concern, *, staff: Collection[User], about_head: bool
) -> list[SchoolAccess]:
    """recipients(concern, 0) for a concern being logged, with what the service already knows
    (the staff it names, whether one of them is the head) and one query, which also reads each
    one's roles that decide what they may open (selectors.OPENING_ROLES): their access as far
    as selectors.may_open asks, for the alert to say whether they may open it."""
    levels = levels_from(
        concern.route,
        about_head=about_head,
        head_told=info(concern.category).head_told_when_staff_involved and bool(staff),
    )
    # The chair's flag opens a concern only when it is about the head, and then the chair is
    # in the first level: read with it.
    memberships = _alertable.objects(
        Membership,
        tuple(sorted(levels[0] | OPENING_ROLES)),
        related=("user",),
        school=concern.school.pk,
    )
    excluded = {u.pk for u in staff} | {concern.reported_by_id}
    accesses = []
    for user in _members_from(memberships, levels[0]):
        if user.pk in excluded:
            continue
        mine = [m for m in memberships if m.user_id == user.pk]
        accesses.append(
            SchoolAccess(
                school=concern.school,
                user=user,
                roles=frozenset(m.role for m in mine),
                is_chair=any(m.is_chair for m in mine),
            )
        )
    return accesses


def level_count(concern: Concern) -> int:
    return len(levels_for(concern))
