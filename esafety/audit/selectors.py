import datetime
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Q, QuerySet

from esafety.audit.models import AuditEvent
from esafety.baked import Values, baked, fields_of
from esafety.people.access import SchoolAccess
from esafety.people.models import Membership, Role, School, User

# An event about a record tells its reader that the record exists: who logged it, its category,
# who read it and when. Apps whose records some members may not open register a rule here that
# names the records whose events to hide from a member (incidents hides events about a concern
# the member cannot open, using the same selector that opens concerns). Shared code knows no app.


@dataclass(frozen=True)
class HiddenRecords:
    """Records of one type a member may not know of, by their codes as an event spells them:
    every event about one of them is left out of what the member reads."""

    object_type: str
    codes: tuple[str, ...]


HiddenEventsRule = Callable[[SchoolAccess], HiddenRecords | None]
_hidden_event_rules: list[HiddenEventsRule] = []


def register_hidden_events_rule(rule: HiddenEventsRule) -> None:
    if rule not in _hidden_event_rules:
        _hidden_event_rules.append(rule)


def hidden_records(access: SchoolAccess) -> tuple[HiddenRecords, ...]:
    """Every rule's answer for this member (each its own query); those that hide nothing are
    left out."""
    found = (rule(access) for rule in _hidden_event_rules)
    return tuple(h for h in found if h is not None and h.codes)


def _local_midnight(day: datetime.date, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


@dataclass(frozen=True)
class EventFilter:
    """What a member reads of the log, worked out to what the SQL compares: the records hidden
    from them, and what they asked for (a person's id, a record's code, the school's days as
    times). `shape` and `values` are a baked query's (esafety/baked): which conditions
    there are, and what they compare with."""

    hidden: tuple[HiddenRecords, ...] = ()
    actor_id: int | None = None
    object_code: str = ""
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    nobody: bool = False  # asked for a person who is no one: nothing matches

    @property
    def shape(self) -> tuple:
        return (
            tuple((h.object_type, len(h.codes)) for h in self.hidden),
            self.actor_id is not None,
            bool(self.object_code),
            self.since is not None,
            self.until is not None,
        )

    def values(self, school: School) -> dict[str, Any]:
        found: dict[str, Any] = {"school": school.pk}
        found.update((f"hidden{i}", h.codes) for i, h in enumerate(self.hidden))
        if self.actor_id is not None:
            found["actor"] = self.actor_id
        if self.object_code:
            found["code"] = self.object_code
        if self.since is not None:
            found["since"] = self.since
        if self.until is not None:
            found["until"] = self.until
        return found


def event_filter(
    *,
    access: SchoolAccess,
    actor_code: str | None = None,
    object_code: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> EventFilter:
    """The rules' hidden records for this member, and the filters asked for. Dates are the
    school's own calendar days: a range on `at` rather than at__date uses the index, and an
    event at 00:30 BST on 1 June belongs to 1 June, though it is 31 May in UTC."""
    actor_id = None
    if actor_code:
        # The person's id, looked up first: a join on the user's code hides the value from the
        # planner, which then walked the whole log backwards by id (33 ms at 100,000 events)
        # instead of using the actor index.
        actor_id = User.objects.filter(code=actor_code).values_list("pk", flat=True).first()
        if actor_id is None:
            return EventFilter(nobody=True)
    tz = zoneinfo.ZoneInfo(access.school.timezone)
    return EventFilter(
        hidden=hidden_records(access),
        actor_id=actor_id,
        object_code=object_code,
        since=_local_midnight(date_from, tz) if date_from else None,
        until=_local_midnight(date_to + datetime.timedelta(days=1), tz) if date_to else None,
    )


def event_sources(shape: tuple, v: Values) -> tuple[QuerySet[AuditEvent], QuerySet[AuditEvent]]:
    """The school's events (`v.school`) that an EventFilter of this shape lets through, as two
    queries, newest first: the school's own events, and the events of no school (signing in and
    out, setting up MFA) by its members, which every school the person belongs to shows: a head
    asking "who was signed in that evening?" needs them. Built from the shape and the values
    alone, so the same function serves the ORM (real values) and a baked query (stand-ins).

    Two, not one with an OR: with the OR PostgreSQL can use no index in id order, and walks the
    whole table backwards by id past every other school's events (200 ms for a page at 1,000,000
    events in 50 schools); each alone is a short walk of an index (`audit_event_school_recent`
    on (school, -id), which also holds the events of no school).
    """
    hidden, by_actor, by_code, since, until = shape
    conditions = Q()
    for i, (object_type, _count) in enumerate(hidden):
        conditions &= ~Q(object_type=object_type, object_code__in=getattr(v, f"hidden{i}"))
    if by_actor:
        conditions &= Q(actor_id=v.actor)
    if by_code:
        conditions &= Q(object_code=v.code)
    if since:
        conditions &= Q(at__gte=v.since)
    if until:
        conditions &= Q(at__lt=v.until)
    members = Membership.objects.filter(school_id=v.school).values("user_id")
    own = AuditEvent.objects.filter(conditions, school_id=v.school)
    sign_ins = AuditEvent.objects.filter(conditions, school__isnull=True, actor_id__in=members)
    return own.order_by("-id"), sign_ins.order_by("-id")


def audit_event_sources(*, access: SchoolAccess, **filters: Any) -> list[QuerySet[AuditEvent]]:
    """event_sources for this member and these filters (event_filter's), as querysets."""
    found = event_filter(access=access, **filters)
    own, sign_ins = event_sources(found.shape, Values(found.values(access.school)))
    if found.nobody:
        return [own.none(), sign_ins.none()]
    return [own, sign_ins]


def audit_events_for_school(*, access: SchoolAccess, **filters: Any) -> QuerySet[AuditEvent]:
    """The same events as one query, newest first (for a count or an export; the log's pages
    read `audit_event_sources` a page at a time)."""
    own, sign_ins = audit_event_sources(access=access, **filters)
    return (own | sign_ins).order_by("-id")


@dataclass(frozen=True)
class EventPage:
    """One page of the log, found by id rather than numbered: `?before=<id>` is the page of
    events older than that one, `?after=<id>` the page just newer. Numbering pages means
    counting every event of the school (65 ms at 120,000 rows, and growing with its history);
    an id range walks the (school, -id) index and stops at the page's end."""

    events: list[AuditEvent]
    has_newer: bool
    has_older: bool

    def __iter__(self) -> Iterator[AuditEvent]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    @property
    def newer_than(self) -> int | None:
        """The cursor of the page just newer (`after`), if there is one."""
        return self.events[0].id if self.has_newer and self.events else None

    @property
    def older_than(self) -> int | None:
        """The cursor of the page just older (`before`), if there is one."""
        return self.events[-1].id if self.has_older and self.events else None


@baked
def _page_rows(shape: tuple, v: Values) -> QuerySet:
    source, toward, filtered = shape
    events = event_sources(filtered, v)[source]
    if toward == "newer":
        events = events.filter(id__gt=v.cursor).order_by("id")
    elif toward == "older":
        events = events.filter(id__lt=v.cursor)
    return cast(QuerySet, events.values(*fields_of(AuditEvent)))


def _nearest(
    access: SchoolAccess,
    found: EventFilter,
    *,
    below: int | None = None,
    above: int | None = None,
    size: int,
) -> list[AuditEvent]:
    """The `size` events nearest a cursor, from both sources: those just below `below` (or the
    newest), newest first, or those just above `above`, oldest first. A baked query per
    source, each a LIMITed walk of an index from the cursor; the sources never share an event."""
    if found.nobody:
        return []
    values = found.values(access.school)
    if above is not None:
        toward, values["cursor"] = "newer", above
    elif below is not None:
        toward, values["cursor"] = "older", below
    else:
        toward = "newest"
    rows: list[AuditEvent] = []
    for source in (0, 1):
        rows += _page_rows.objects(AuditEvent, (source, toward, found.shape), limit=size, **values)
    rows.sort(key=lambda e: e.id, reverse=above is None)
    return rows[:size]


def audit_events_page(
    access: SchoolAccess,
    found: EventFilter,
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = 50,
) -> EventPage:
    """`size` events the filter lets through (newest first), older than `before` or newer than
    `after`, or the newest. A row more than shown says whether the walk goes on; when a cursor
    was given, one more event looked for says whether there is a page the other way."""
    if after is not None:
        # The events just newer than `after`: the oldest `size` of them, shown newest first.
        newer = _nearest(access, found, above=after, size=size + 1)
        rows = newer[:size][::-1]
        has_older = bool(rows) and bool(_nearest(access, found, below=rows[-1].id, size=1))
        return EventPage(rows, has_newer=len(newer) > size, has_older=has_older)
    older = _nearest(access, found, below=before, size=size + 1)
    rows = older[:size]
    has_newer = (
        before is not None
        and bool(rows)
        and bool(_nearest(access, found, above=rows[0].id, size=1))
    )
    return EventPage(rows, has_newer=has_newer, has_older=len(older) > size)


@baked
def _people(shape: None, v: Values) -> QuerySet:
    workers = Membership.objects.filter(school_id=v.school).exclude(role=Role.PARENT)
    return (
        User.objects.filter(pk__in=workers.values("user_id"))
        .order_by("full_name", "email")
        .values("code", "full_name", "email")
    )


def audit_people_for_school(*, school: School) -> list[tuple[str, str]]:
    """(code, label) of everyone whose actions the school's audit log can be filtered by.

    Everyone who has worked or governed here, former members included (the log outlives them),
    but not the school's hundreds of parents. A teacher who is also a parent is still listed.
    """
    return [
        (str(p["code"]), p["full_name"] or p["email"]) for p in _people.rows(None, school=school.pk)
    ]
