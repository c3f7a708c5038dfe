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


# No savepoint of its own inside a caller's transaction (two more statements on every write):
# an audit write that fails fails the caller's whole transaction, as it must, and nobody
# catches it to go on without its event.
@transaction.atomic(savepoint=False)
def audit_record_many(
    *, actor: User | AnonymousUser | None, school: School | None, entries: list[Entry]
) -> list[AuditEvent]:
    """Append several events for one school in one go (a roster import, a seed)."""
    if not entries:
        return []
    events = audit_events_chained(
        actor=actor, school=school, entries=entries, head=chain_head(school)
    )
    insert_together(events)
    return events


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
    request = context.current_request()
    request_id = request.request_id if request else ""
    ip = _clean_ip(request.ip) if request else None
    now = timezone.now()
    # Nobody signed in, or a user not saved yet, is recorded as no actor.
    actor_obj = actor if isinstance(actor, User) and actor.pk else None
    school_id = school.pk if school is not None else None
    prev = head
    events = []
    for entry in entries:
        object_type, object_code = _describe(entry)
        event = AuditEvent(
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
            prev_hash=prev,
        )
        event.hash = event.compute_hash()
        prev = event.hash
        events.append(event)
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
