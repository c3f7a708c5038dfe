"""The access helpers every view uses.

Default deny: anonymous users go to sign-in; a user with no membership of the school in the URL
(another school's staff, a stranger) gets 404, so they cannot even learn that the school or the
record exists; a member without one of the view's roles gets 403.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from esafety.people.models import PRIVILEGED_ROLES, Membership, Role, School, User


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


def is_privileged(user: User) -> bool:
    if user.is_superuser:
        return True
    return any(m.role in PRIVILEGED_ROLES for m in memberships_of(user))


def school_access(user: User, school_code: UUID) -> SchoolAccess:
    """The user's roles at the school, or 404 when they hold none there."""
    mine = [m for m in memberships_of(user) if m.school.code == school_code]
    if not mine:
        raise Http404("No such school")
    return SchoolAccess(
        school=mine[0].school,
        user=user,
        roles=frozenset(m.role for m in mine),
        is_chair=any(m.is_chair for m in mine),
    )


def school_view(*roles: str) -> Callable:
    """Decorate a view whose URL starts with <uuid:school>.

    The view receives `access` instead of the school code. With no roles given, any member of the
    school may use it; otherwise the member must hold one of them.
    """
    allowed = frozenset(roles)
    unknown = allowed - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, school: UUID, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = school_access(request.user, school)
            if allowed:
                access.require(*allowed)
            return view(request, access, *args, **kwargs)

        wrapper.school_roles = allowed  # read by the role × URL test's sanity checks
        return wrapper

    return decorator


def roles_label(roles: Iterable[str]) -> str:
    labels = dict(Role.choices)
    return ", ".join(labels.get(r, r) for r in sorted(roles))
