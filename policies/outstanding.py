"""What a member still has to accept, kept in their session for the "policies to accept" banner.

Working out what someone must accept costs two or three queries. Doing that on every page would
add them to every page of the app, so the answer is kept in the session: worked out when they
sign in (the guidance's "when they next sign in", by the receiver below), again after they
accept, and at most every few minutes while they work, so a version published meanwhile soon
shows. An ordinary page costs no query for it at all.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from esafety.people.models import Membership, Pupil, School, User
from esafety.people.selectors import children_of
from policies.models import PolicyVersion
from policies.selectors.accept import Outstanding, outstanding_for

SESSION_KEY = "policies_outstanding"
REFRESH_SECONDS = 5 * 60


def outstanding_refresh(
    request: HttpRequest, *, school: School, user: User, roles: frozenset[str]
) -> Outstanding:
    """Work out again what the member must accept at this school, and remember the count."""
    outstanding = outstanding_for(school=school, user=user, roles=roles)
    counts = request.session.get(SESSION_KEY, {})
    counts[str(school.code)] = [outstanding.count, time.time()]
    request.session[SESSION_KEY] = counts
    return outstanding


def remembered_count(request: HttpRequest, *, school: School) -> int | None:
    """The count kept in the session, or None when there is none or it is a few minutes old."""
    entry = request.session.get(SESSION_KEY, {}).get(str(school.code))
    if entry is None or time.time() - entry[1] > REFRESH_SECONDS:
        return None
    return entry[0]


def children_status(
    *, school: School, user: User, outstanding: Outstanding
) -> list[tuple[Pupil, list[PolicyVersion]]]:
    """Each of a parent's children with the agreements still to co-sign for them."""
    waiting: dict[int, list[PolicyVersion]] = {}
    for version, child in outstanding.cosign:
        waiting.setdefault(child.pk, []).append(version)
    return [(child, waiting.get(child.pk, [])) for child in children_of(user=user, school=school)]


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
