"""The "policies to accept" banner on every school page.

Working out what someone must accept costs two or three queries. Doing that on every page would
add them to every page of the app, so the answer is kept in the session: worked out when they
sign in (the guidance's "when they next sign in"), again after they accept, and at most every
few minutes while they work, so a version published meanwhile soon shows. An ordinary page costs
no query for it at all.
"""

import time
from uuid import UUID

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse

from esafety.people.access import memberships_of
from esafety.people.models import Membership, School, User
from policies.selectors import Outstanding, children_for_cosign, outstanding_for

SESSION_KEY = "policies_outstanding"
REFRESH_SECONDS = 5 * 60


def _store(request: HttpRequest, school: School, outstanding: Outstanding) -> int:
    counts = request.session.get(SESSION_KEY, {})
    counts[str(school.code)] = [outstanding.count, time.time()]
    request.session[SESSION_KEY] = counts
    return outstanding.count


def outstanding_refresh(
    request: HttpRequest, *, school: School, user: User, roles: frozenset[str]
) -> Outstanding:
    """Work out again what the member must accept at this school, and remember the count."""
    outstanding = outstanding_for(school=school, user=user, roles=roles)
    _store(request, school, outstanding)
    return outstanding


@receiver(user_logged_in, dispatch_uid="policies_outstanding_on_sign_in")
def _on_sign_in(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    roles: dict[int, set[str]] = {}
    schools: dict[int, School] = {}
    # Read here rather than through memberships_of, which would cache on this user object.
    for m in Membership.objects.filter(user=user, is_active=True).select_related("school"):
        roles.setdefault(m.school_id, set()).add(m.role)
        schools[m.school_id] = m.school
    for school_id, school in schools.items():
        outstanding_refresh(request, school=school, user=user, roles=frozenset(roles[school_id]))


def _school_roles(request: HttpRequest) -> tuple[School, frozenset[str]] | None:
    match = getattr(request, "resolver_match", None)
    code = match.kwargs.get("school") if match else None
    if not isinstance(code, UUID):
        return None
    mine = [m for m in memberships_of(request.user) if m.school.code == code]
    if not mine:
        return None
    return mine[0].school, frozenset(m.role for m in mine)


def outstanding(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    found = _school_roles(request)
    if found is None:
        return {}
    school, roles = found
    entry = request.session.get(SESSION_KEY, {}).get(str(school.code))
    detail: list[Outstanding] = []

    def details() -> Outstanding:
        # For the parent's home page, which lists each child's agreements: only pages that
        # show it pay for it.
        if not detail:
            detail.append(outstanding_refresh(request, school=school, user=user, roles=roles))
        return detail[0]

    def children_status() -> list[tuple]:
        # Each of a parent's children with the agreements still to co-sign for them.
        waiting: dict[int, list] = {}
        for version, child in details().cosign:
            waiting.setdefault(child.pk, []).append(version)
        return [
            (child, waiting.get(child.pk, []))
            for child in children_for_cosign(school=school, user=user).order_by("first_name")
        ]

    if entry is None or time.time() - entry[1] > REFRESH_SECONDS:
        count = details().count
    else:
        count = entry[0]
    on_accept_page = request.resolver_match.view_name == "policies:accept"
    return {
        "policies_banner_count": 0 if on_accept_page else count,
        "policies_accept_url": reverse("policies:accept", args=[school.code]),
        "policies_outstanding": details,
        "policies_children_status": children_status,
    }
