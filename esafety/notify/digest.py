"""One email a day to each member who has something waiting, instead of one email per app.

Every app adds its lines through its contribution (esafety/contributions.py: DigestSource); this
module knows no app. A line says what is waiting and links to it, never a child's name.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from esafety.contributions import DigestLine, DigestSource, digest_sources
from esafety.notify.models import Message
from esafety.notify.services import Email, ReminderItem, absolute_url, reminders_send_many
from esafety.people.access import SchoolAccess
from esafety.people.models import Membership, School

KIND = "notify.daily_digest"


def _accesses(school: School, roles: set[str]) -> list[SchoolAccess]:
    by_user: dict[int, list[Membership]] = {}
    for m in Membership.objects.filter(
        school=school, is_active=True, user__is_active=True, role__in=roles
    ).select_related("user"):
        by_user.setdefault(m.user_id, []).append(m)
    return [
        SchoolAccess(
            school=school,
            user=mine[0].user,
            roles=frozenset(m.role for m in mine),
            is_chair=any(m.is_chair for m in mine),
        )
        for mine in by_user.values()
    ]


def digest_send(*, school: School, today: datetime.date | None = None) -> int:
    """Queue today's digest for each member with at least one line; once a day per member (a
    keyed reminder), however often it runs. Returns how many were queued."""
    today = today or timezone.localdate()
    sources = list(digest_sources())
    roles = {role for source in sources for role in source.roles}
    if not roles:
        return 0
    items = []
    home = reverse("people:school_home", args=[school.code])
    # A school's lines (a source that is not per member) are asked once, by the first member
    # holding the roles, and given to the rest.
    the_schools: dict[int, list[DigestLine]] = {}

    def lines_of(i: int, source: DigestSource, access: SchoolAccess) -> list[DigestLine]:
        if source.per_member:
            return source.lines(access, today)
        if i not in the_schools:
            the_schools[i] = source.lines(access, today)
        return the_schools[i]

    for access in _accesses(school, roles):
        lines = [
            line
            for i, source in enumerate(sources)
            if access.has(*source.roles)
            for line in lines_of(i, source, access)
        ]
        if not lines:
            continue
        body = "\n".join(
            f"- {line.text}: {absolute_url(reverse(line.url_name, args=line.args))}"
            for line in lines
        )
        email = Email(
            recipient=access.user,
            subject=f"Waiting for you at {school.name}",
            body=f"Today at {school.name}:\n{body}",
            link=home,
        )
        items.append(
            ReminderItem(
                subject=f"user:{access.user.code}",
                kind=KIND,
                period=today.isoformat(),
                emails=[email],
            )
        )
    return reminders_send_many(school=school, items=items, message_kind=Message.Kind.DIGEST)
