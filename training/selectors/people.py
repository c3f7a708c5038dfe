"""Who holds training records at a school: everyone employed, and the governors, each with the
groups a course can be required for."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from esafety.people.models import STAFF_ROLES, Membership, Role, School, User
from training.models import Group, TrainingSettings


@dataclass(frozen=True)
class Person:
    user: User
    roles: frozenset[str]
    groups: frozenset[str]
    started_on: datetime.date

    @property
    def is_staff(self) -> bool:
        return Group.STAFF in self.groups

    @property
    def is_governor(self) -> bool:
        return Group.GOVERNORS in self.groups

    @property
    def name(self) -> str:
        return self.user.full_name or self.user.email


def groups_of(roles: set[str], *, is_chair: bool, safeguarding_governor: bool) -> frozenset[str]:
    groups: set[str] = set()
    if roles & STAFF_ROLES:
        groups.add(Group.STAFF)
    if roles & {Role.DSL, Role.DEPUTY_DSL}:
        groups.add(Group.DSL)
    if Role.ONLINE_SAFETY_LEAD in roles:
        groups.add(Group.ONLINE_SAFETY_LEAD)
    if Role.OFFICE in roles:
        groups.add(Group.OFFICE)
    if Role.GOVERNOR in roles:
        groups.add(Group.GOVERNORS)
        if is_chair:
            groups.add(Group.CHAIR)
        if safeguarding_governor:
            groups.add(Group.SAFEGUARDING_GOVERNOR)
    return frozenset(groups)


def people_of(
    *, school: School, settings: TrainingSettings, only: User | None = None
) -> list[Person]:
    """Everyone employed and every governor, by name: one query. `only` narrows it to one."""
    memberships = Membership.objects.filter(
        school=school,
        is_active=True,
        user__is_active=True,
        role__in=[*STAFF_ROLES, Role.GOVERNOR],
    ).select_related("user")
    if only is not None:
        memberships = memberships.filter(user=only)
    found: dict[int, tuple[User, set[str], bool, datetime.datetime]] = {}
    for m in memberships:
        user, roles, chair, joined = found.get(m.user_id, (m.user, set(), False, m.created_at))
        roles.add(m.role)
        found[m.user_id] = (user, roles, chair or m.is_chair, min(joined, m.created_at))
    people = [
        Person(
            user=user,
            roles=frozenset(roles),
            groups=groups_of(
                roles,
                is_chair=chair,
                safeguarding_governor=settings.safeguarding_governor_id == user.pk,
            ),
            started_on=timezone.localtime(joined).date(),
        )
        for user, roles, chair, joined in found.values()
    ]
    return sorted(people, key=lambda p: (p.user.full_name or p.user.email).lower())
