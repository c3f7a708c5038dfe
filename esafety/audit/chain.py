"""The audit trail's hash chains, walked: `manage.py verify_audit` and the nightly check."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from esafety.audit.models import GENESIS_HASH, HASHED, AuditEvent, row_hash


@dataclass(frozen=True)
class ChainBreak:
    school_id: int | None
    event_id: int
    reason: str
    at: datetime.datetime | None = None
    action: str = ""
    # The school's previous surviving event, so a person can see where a deletion happened.
    previous_event_id: int | None = None


@dataclass
class ChainReport:
    events_per_school: Counter = field(default_factory=Counter)
    breaks: list[ChainBreak] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.events_per_school.values())


ALTERED = "its contents do not match its hash: the row was changed after it was written"
UNLINKED = (
    "it does not follow the school's previous event: an event between them was deleted, "
    "or this one was inserted"
)


def chain_report(*, chunk_size: int = 2000, events: QuerySet | None = None) -> ChainReport:
    """Walk every school's chain in id order and report every row that does not fit.

    A row whose stored hash does not match its contents was altered; a row whose prev_hash is not
    the hash of the school's previous surviving row follows a deletion or an insertion. (Deleting
    a school's newest events leaves no trace in the chain itself; the nightly check's logged
    counts show it.)
    """
    report = ChainReport()
    last: dict[int | None, tuple[int | None, str]] = {}
    # Chains are per school, so the events of some schools only (every one of theirs) is a
    # smaller walk with the same answer for those schools.
    events = AuditEvent.objects.all() if events is None else events
    # Tuples, not models: a million model instances cost more than the hashing.
    rows = events.order_by("id").values_list("id", "hash", "action", *HASHED)
    counts = report.events_per_school
    for pk, stored, action, *hashed in rows.iterator(chunk_size=chunk_size):
        prev_hash, at, school_id = hashed[0], hashed[1], hashed[4]
        previous_id, expected_prev = last.get(school_id, (None, GENESIS_HASH))
        counts[school_id] += 1
        if prev_hash != expected_prev:
            report.breaks.append(ChainBreak(school_id, pk, UNLINKED, at, action, previous_id))
        if row_hash(*hashed) != stored:
            report.breaks.append(ChainBreak(school_id, pk, ALTERED, at, action, previous_id))
        last[school_id] = (pk, stored)
    return report


def chain_breaks(*, chunk_size: int = 2000) -> list[ChainBreak]:
    return chain_report(chunk_size=chunk_size).breaks
