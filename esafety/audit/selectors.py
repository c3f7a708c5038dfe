import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from esafety.audit.models import GENESIS_HASH, AuditEvent


def audit_events_for_school(
    *,
    school,
    actor_code=None,
    object_code: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(school=school).select_related("actor").order_by("-id")
    if actor_code:
        qs = qs.filter(actor__code=actor_code)
    if object_code:
        qs = qs.filter(object_code=object_code)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


@dataclass(frozen=True)
class ChainBreak:
    school_id: int | None
    event_id: int
    reason: str


def chain_breaks(*, chunk_size: int = 2000) -> list[ChainBreak]:
    """Walk every school's chain in id order and report every row that does not fit.

    A row whose stored hash does not match its contents was altered; a row whose prev_hash is not
    the hash of the school's previous surviving row follows a deletion or an insertion.
    """
    breaks: list[ChainBreak] = []
    last_hash: dict[int | None, str] = {}
    qs = AuditEvent.objects.order_by("id")
    for event in qs.iterator(chunk_size=chunk_size):
        expected_prev = last_hash.get(event.school_id, GENESIS_HASH)
        if event.prev_hash != expected_prev:
            breaks.append(ChainBreak(event.school_id, event.id, "does not follow the previous row"))
        if event.compute_hash() != event.hash:
            breaks.append(ChainBreak(event.school_id, event.id, "contents do not match its hash"))
        last_hash[event.school_id] = event.hash
    return breaks
