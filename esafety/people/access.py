"""The access helpers every view uses.

Default deny: anonymous users go to sign-in; a user with no membership of the school in the URL
(another school's staff, a stranger) gets 404, so they cannot even learn that the school or the
record exists; a member without one of the view's roles gets 403.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, cast
from uuid import UUID

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from esafety.people.models import Membership, Role, School, User


@dataclass(frozen=True)
class SchoolAccess:
    school: School
    user: User
    roles: frozenset[str]
    is_chair: bool = False

    def has(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    def require(self, *roles: str) -> None:
        if not self.has(*roles):
            raise PermissionDenied


def memberships_of(user: User) -> list[Membership]:
    """The user's active memberships with their schools, cached on the user for the request."""
    cached = getattr(user, "_esafety_memberships", None)
    if cached is None:
        if not user.is_authenticated:
            cached = []
        else:
            cached = list(
                Membership.objects.filter(user=user, is_active=True)
                .select_related("school")
                .order_by("school__name", "role")
            )
        user._esafety_memberships = cached
    return cached


# Whoever can open a child-protection record needs a second factor and the short idle timeout,
# whatever their role is called. So the rule is a property of what a member can open: each app
# that keeps such records registers a test of a member's access here (incidents does, with the
# same function that opens its doors), and a role that gains access tomorrow is covered by it.
SecondFactorRule = Callable[["SchoolAccess"], bool]
_second_factor_rules: list[SecondFactorRule] = []


def register_second_factor_rule(rule: SecondFactorRule) -> None:
    if rule not in _second_factor_rules:
        _second_factor_rules.append(rule)


def accesses_of(user: User) -> list[SchoolAccess]:
    """One SchoolAccess per school the user belongs to (no query beyond memberships_of)."""
    by_school: dict[int, list[Membership]] = {}
    for m in memberships_of(user):
        by_school.setdefault(m.school_id, []).append(m)
    return [_access(user, mine) for mine in by_school.values()]


def is_privileged(user: User) -> bool:
    """Whether the user must have a second factor and time out when idle."""
    if user.is_superuser:
        return True
    return any(rule(access) for access in accesses_of(user) for rule in _second_factor_rules)


def school_access(user: User, school_code: UUID) -> SchoolAccess:
    """The user's roles at the school, or 404 when they hold none there."""
    mine = [m for m in memberships_of(user) if m.school.code == school_code]
    if not mine:
        raise Http404("No such school")
    return _access(user, mine)


def _access(user: User, mine: list[Membership]) -> SchoolAccess:
    return SchoolAccess(
        school=mine[0].school,
        user=user,
        roles=frozenset(m.role for m in mine),
        is_chair=any(m.is_chair for m in mine),
    )


class SchoolView(Protocol):
    """A view wrapped by school_view: what the URL calls, and the roles it lets in."""

    school_roles: frozenset[str]  # read by the menu and by the role × URL test

    def __call__(
        self, request: HttpRequest, school: UUID, *args: Any, **kwargs: Any
    ) -> HttpResponse: ...


def school_view(*roles: str) -> Callable[[Callable[..., HttpResponse]], SchoolView]:
    """Decorate a view whose URL starts with <uuid:school>.

    The view receives `access` instead of the school code. With no roles given, any member of the
    school may use it; otherwise the member must hold one of them.
    """
    allowed = frozenset(roles)
    unknown = allowed - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")

    def decorator(view: Callable[..., HttpResponse]) -> SchoolView:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, school: UUID, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = school_access(request.user, school)
            if allowed:
                access.require(*allowed)
            return view(request, access, *args, **kwargs)

        # A function takes the attribute at run time; mypy needs telling it has one.
        decorated = cast(SchoolView, wrapper)
        decorated.school_roles = allowed
        return decorated

    return decorator


def roles_label(roles: Iterable[str]) -> str:
    labels = dict(Role.choices)
    return ", ".join(labels.get(r, r) for r in sorted(roles))
