"""The bulk writers behind `manage.py seed_scale`, and what each app's scale contribution is given.

The scale data set is far too big to write through the services (a million audit events, each
service call a dozen queries), so it is written in bulk: rows built in Python with their ids
chosen here, then COPY on PostgreSQL (executemany on SQLite, for the tests). Writing the rows as
they are, rather than through bulk_create, keeps the times we give them: bulk_create would
overwrite every auto_now_add field (a timeline entry's `at`, an acceptance's `accepted_at`) with
the moment of the seed, and append-only tables refuse the UPDATE that would put them back.
"""

import datetime
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, models

from esafety.audit.models import GENESIS_HASH, HASHED, AuditEvent, row_hash
from esafety.people.models import School, User


class Inserter:
    """Writes model instances as they are, with ids it hands out itself (so a concern's id is
    known before its timeline is built), and resets the sequences at the end."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self._next: dict[type[models.Model], int] = {}
        self.counts: dict[str, int] = {}

    def ids(self, model: type[models.Model], n: int) -> range:
        if model not in self._next:
            last = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self._next[model] = last + 1
        start = self._next[model]
        self._next[model] = start + n
        return range(start, start + n)

    def insert(self, model: type[models.Model], objs: Sequence[models.Model]) -> None:
        if not objs:
            return
        fields = [f for f in model._meta.concrete_fields]
        missing = [o for o in objs if o.pk is None]
        for obj, pk in zip(missing, self.ids(model, len(missing)), strict=True):
            obj.pk = pk
        stamped = [
            f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        for obj in objs:
            for f in stamped:
                if getattr(obj, f.attname) is None:
                    setattr(obj, f.attname, self.now)
        rows = (
            tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields)
            for obj in objs
        )
        self.write(model._meta.db_table, [f.column for f in fields], rows)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(objs)

    def write(self, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
        qn = connection.ops.quote_name
        cols = ", ".join(qn(c) for c in columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY is several times faster than multi-row INSERTs for tables this size.
                with cursor.cursor.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                # Table and column names come from the models, never from input.
                sql = f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, list(rows))

    def reset_sequences(self) -> None:
        # Ids were chosen here, so the database's own sequences must move past them before
        # anything is inserted the ordinary way.
        sql = connection.ops.sequence_reset_sql(no_style(), list(self._next))
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


# An audit event waiting to be chained: (at, actor_id, actor_label, action, object_type,
# object_code, summary).
_Pending = tuple[datetime.datetime, int | None, str, str, str, str, str]


class AuditWriter:
    """Audit events in bulk, with a valid hash chain per school.

    Events are collected per school and written by `flush`, sorted by time: the chain is the
    school's events in id order, so ids are given in that order and each hash is computed from
    the previous one, exactly as audit_record does (verify_audit recomputes them)."""

    def __init__(self, inserter: Inserter) -> None:
        self.inserter = inserter
        self._pending: dict[int | None, list[_Pending]] = {}
        self._written: dict[int | None, int] = {}

    def add(
        self,
        *,
        school_id: int | None,
        at: datetime.datetime,
        actor: User | None,
        action: str,
        object_type: str = "",
        object_code: str = "",
        summary: str = "",
    ) -> None:
        self._pending.setdefault(school_id, []).append(
            (
                at,
                actor.pk if actor else None,
                actor.email if actor else "",
                action,
                object_type,
                str(object_code),
                summary[:500],
            )
        )

    def count(self, school_id: int | None) -> int:
        return self._written.get(school_id, 0) + len(self._pending.get(school_id, []))

    def flush(self, school_id: int | None) -> int:
        pending = sorted(self._pending.pop(school_id, []), key=lambda e: e[0])
        if not pending:
            return 0
        chain = (
            AuditEvent.objects.filter(school__isnull=True)
            if school_id is None
            else AuditEvent.objects.filter(school_id=school_id)
        )
        prev = chain.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
        ids = self.inserter.ids(AuditEvent, len(pending))
        rows: list[tuple] = []
        for pk, (at, actor_id, label, action, otype, ocode, summary) in zip(
            ids, pending, strict=True
        ):
            digest = row_hash(
                prev, at, actor_id, label, school_id, action, otype, ocode, summary, "", None
            )
            row = (pk, at, actor_id, label, school_id, action, otype, ocode, summary, "", None)
            rows.append((*row, prev, digest))
            prev = digest
        # The row's order: its id, what the hash covers (prev_hash moved last), then the hash.
        columns = ["id", *HASHED[1:], "prev_hash", "hash"]
        if connection.vendor != "postgresql":
            rows = [(r[0], connection.ops.adapt_datetimefield_value(r[1]), *r[2:]) for r in rows]
        self.inserter.write(AuditEvent._meta.db_table, columns, rows)
        self._written[school_id] = self._written.get(school_id, 0) + len(rows)
        label = AuditEvent._meta.label
        self.inserter.counts[label] = self.inserter.counts.get(label, 0) + len(rows)
        return len(rows)


@dataclass(frozen=True)
class ScaleSizes:
    """How much one school gets."""

    pupils: int
    concerns: int
    audit_events: int


@dataclass
class ScalePupil:
    id: int
    code: str
    year: int  # national curriculum year, 0 for reception
    class_id: int


@dataclass
class ScaleParent:
    user: User
    pupil_ids: list[int]


@dataclass
class ScaleSchool:
    """What `seed_scale` has made for one school before the apps add theirs; each app's
    `Contribution.scale(school)` is called once per school with it.

    `people` holds one user per role (keyed by role value; the governor is the chair), `staff`
    every employee (the named roles and the teachers), `governors` the board. Pupils and parents
    are light records (ids, not model instances), since there are thousands. Times should fall
    between `start` and `now`. Write rows with `inserter.insert(Model, objs)` (ids are given
    there, so set foreign keys by id) and audit events with `audit.add(...)`: the command
    chains and writes a school's events once every app is done with it. An app whose ordinary
    use writes many events of its own (reading a concern is audited) may set `fill_audit`: the
    command calls it last, with how many events the school still needs to reach its size."""

    school: School
    index: int
    sizes: ScaleSizes
    people: dict[str, User]
    staff: list[User]
    governors: list[User]
    pupils: list[ScalePupil]
    parents: list[ScaleParent]
    rng: random.Random
    factor: float
    now: datetime.datetime
    start: datetime.datetime
    inserter: Inserter
    audit: AuditWriter
    fill_audit: list[Callable[[int], None]] = field(default_factory=list)

    def moment(self) -> datetime.datetime:
        """A random moment between start and now, in term hours more often than not."""
        span = (self.now - self.start).total_seconds()
        return self.start + datetime.timedelta(seconds=self.rng.random() * span)
