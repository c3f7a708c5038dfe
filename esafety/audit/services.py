"""Writing the audit trail. Services call these; views never do."""

import ipaddress
import zlib
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from esafety import context
from esafety.audit.models import GENESIS_HASH, AuditEvent
from esafety.db import insert_together
from esafety.people.models import School, User


@dataclass(frozen=True)
class Entry:
    action: str
    obj: models.Model | None = None
    summary: str = ""
    object_type: str = ""
    object_code: str = ""


def _chain_key(school_id: int | None) -> int:
    return zlib.crc32(f"esafety-audit-{school_id or 0}".encode())


def _chain_head(school_id: int | None) -> str:
    """Wait for the school's chain, then the hash of its last event (inside the transaction).

    Two writers for one school must not both chain onto the same previous row. On PostgreSQL a
    transaction-scoped advisory lock per school serialises them, and audit_chain_head (migration
    0004) takes it and reads the head in one round trip, each with its own snapshot, so the read
    sees the row of the writer it waited for. SQLite serialises writers itself. Events that
    belong to no school (signing in and out) are a chain of their own.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_chain_head(%s, %s)", [_chain_key(school_id), school_id])
            last = cursor.fetchone()[0]
        return last or GENESIS_HASH
    return _read_head(school_id)


def _read_head(school_id: int | None) -> str:
    """The hash of the chain's last event, without waiting for anyone (SQLite's way)."""
    chain = (
        AuditEvent.objects.filter(school__isnull=True)
        if school_id is None
        else AuditEvent.objects.filter(school_id=school_id)
    )
    last = chain.order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS_HASH


def _clean_ip(value: str | None) -> str | None:
    # The hash covers the address as the database will give it back: Django rewrites IPv6 to its
    # short lower-case form on save, so an address like "2001:DB8:0::1" hashed as received would
    # later look tampered with. Something that is not an address at all is not worth failing the
    # write for; it is dropped.
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if address.version == 6:
        return clean_ipv6_address(str(address))
    return str(address)


def _describe(entry: Entry) -> tuple[str, str]:
    object_type = entry.object_type
    object_code = entry.object_code
    if entry.obj is not None:
        object_type = object_type or entry.obj._meta.label_lower
        object_code = object_code or str(getattr(entry.obj, "code", entry.obj.pk))
    return object_type, object_code


def audit_record_many(
    *, actor: User | AnonymousUser | None, school: School | None, entries: list[Entry]
) -> list[AuditEvent]:
    """Append several events for one school in one go (a page's reads, a roster import)."""
    if not entries:
        return []
    events = _events(actor=actor, school=school, entries=entries)
    if connection.vendor == "postgresql" and all(_hashable_in_sql(e) for e in events):
        _appended_in_sql(events)
    else:
        _appended_in_python(events)
    return events


# What PostgreSQL's payload (audit_payload, migration 0006) writes as Python's json does: text
# below DEL. Python escapes DEL and everything above it, PostgreSQL does not.
_SQL_TEXT = frozenset(map(chr, range(0x7F)))


def _hashable_in_sql(event: AuditEvent) -> bool:
    return all(
        _SQL_TEXT.issuperset(text)
        for text in (
            event.actor_label,
            event.action,
            event.object_type,
            event.object_code,
            event.summary,
            event.request_id,
        )
    )


def _appended_in_sql(events: list[AuditEvent]) -> None:
    """The events appended by PostgreSQL (audit_append): the chain's lock and head, the hashes
    and the insert in one statement, where Python's way is four (BEGIN, the head, the INSERT,
    COMMIT); each event is then given its id and hashes as written. Outside a transaction the
    statement is its own; inside one, the chain stays locked until that one ends."""
    first = events[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_id, event_prev, event_hash FROM audit_append("
            "%s, %s, %s, %s, %s, %s, %s, %s::inet, "
            "%s::varchar[], %s::varchar[], %s::varchar[], %s::varchar[])",
            [
                _chain_key(first.school_id),
                first.school_id,
                GENESIS_HASH,
                first.at,
                first.actor_id,
                first.actor_label,
                first.request_id,
                first.ip,
                [e.action for e in events],
                [e.object_type for e in events],
                [e.object_code for e in events],
                [e.summary for e in events],
            ],
        )
        written = cursor.fetchall()
    for event, (pk, prev_hash, hash_) in zip(events, written, strict=True):
        event.pk, event.prev_hash, event.hash = pk, prev_hash, hash_
        event._state.adding = False
        event._state.db = connection.alias


# No savepoint of its own inside a caller's transaction (two more statements on every write):
# an audit write that fails fails the caller's whole transaction, as it must, and nobody
# catches it to go on without its event.
@transaction.atomic(savepoint=False)
def _appended_in_python(events: list[AuditEvent]) -> None:
    _chain(events, _chain_head(events[0].school_id))
    insert_together(events)


def chain_head(school: School | None) -> str:
    """Wait for the school's chain and give its head, for audit_events_chained. Only inside a
    transaction, which then holds the chain until it ends (on PostgreSQL: see _chain_head)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("The chain's head is read inside the transaction that appends to it.")
    return _chain_head(school.pk if school is not None else None)


def audit_events_chained(
    *,
    actor: User | AnonymousUser | None,
    school: School | None,
    entries: list[Entry],
    head: str,
) -> list[AuditEvent]:
    """The events for these entries, hashed onto `head`, not yet saved: for a caller that inserts
    them with its own rows in one statement (esafety.db.insert_together). `head` is what
    chain_head gave in this transaction, with no event of the school written since."""
    events = _events(actor=actor, school=school, entries=entries)
    _chain(events, head)
    return events


def _chain(events: list[AuditEvent], head: str) -> None:
    prev = head
    for event in events:
        event.prev_hash = prev
        event.hash = prev = event.compute_hash()


def _events(
    *, actor: User | AnonymousUser | None, school: School | None, entries: list[Entry]
) -> list[AuditEvent]:
    """The events for these entries, of this request, not yet chained."""
    request = context.current_request()
    request_id = request.request_id if request else ""
    ip = _clean_ip(request.ip) if request else None
    now = timezone.now()
    # Nobody signed in, or a user not saved yet, is recorded as no actor.
    actor_obj = actor if isinstance(actor, User) and actor.pk else None
    school_id = school.pk if school is not None else None
    events = []
    for entry in entries:
        object_type, object_code = _describe(entry)
        events.append(
            AuditEvent(
                at=now,
                actor=actor_obj,
                actor_label=actor_obj.email if actor_obj else "",
                school_id=school_id,
                action=entry.action,
                object_type=object_type,
                object_code=object_code,
                summary=entry.summary[:500],
                request_id=request_id,
                ip=ip,
            )
        )
    return events


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    school: School | None,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    object_type: str = "",
    object_code: str = "",
) -> AuditEvent:
    """Append one event. `summary` must never hold a child's name or a concern's narrative."""
    entry = Entry(
        action=action,
        obj=obj,
        summary=summary,
        object_type=object_type,
        object_code=object_code,
    )
    return audit_record_many(actor=actor, school=school, entries=[entry])[0]
