"""The "policies to accept" banner on every school page, from the count policies/outstanding.py
keeps in the session (importing it here also connects its sign-in receiver)."""

from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse

from esafety.people.access import memberships_of
from esafety.people.models import School
from policies.outstanding import children_status, outstanding_refresh, remembered_count
from policies.selectors.accept import Outstanding


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
    detail: list[Outstanding] = []

    def details() -> Outstanding:
        # For the parent's home page, which lists each child's agreements: only pages that
        # show it pay for it.
        if not detail:
            detail.append(outstanding_refresh(request, school=school, user=user, roles=roles))
        return detail[0]

    count = remembered_count(request, school=school)
    if count is None:
        count = details().count
    on_accept_page = request.resolver_match.view_name == "policies:accept"
    return {
        "policies_banner_count": 0 if on_accept_page else count,
        "policies_accept_url": reverse("policies:accept", args=[school.code]),
        "policies_outstanding": details,
        "policies_children_status": lambda: children_status(
            school=school, user=user, outstanding=details()
        ),
    }
