import hashlib
import json

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One thing that happened, append-only.

    Rows are never updated or deleted: on PostgreSQL a trigger rejects UPDATE, DELETE and TRUNCATE
    (migration 0003). Each row carries the hash of its school's previous row, so a row altered or
    removed behind the trigger's back breaks the chain and `manage.py verify_audit` says where.
    The summary never holds sensitive text: no child's name, no narrative.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A denormalised label: the record must still say who acted if the account is renamed.
    actor_label = models.CharField(max_length=254, blank=True)
    # Every event is written once and each index costs every write: these are the indexes the
    # log's queries use (migration 0005 says which, and what the others cost). The school's own
    # index is (school, -id), which serves a lookup by school too.
    school = models.ForeignKey(
        "people.School", models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_code = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["school", "-id"], name="audit_event_school_recent"),
            models.Index(fields=["object_code"], name="audit_event_object_code"),
        ]
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_event_hash_unique")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.action}"

    @property
    def object_code_short(self) -> str:
        """The record's code cut to 12 characters and an ellipsis, for the log's narrow column
        (what |truncatechars:13 gave, without its cost on every row of a page)."""
        code = self.object_code
        return code if len(code) <= 13 else code[:12] + "…"

    def compute_hash(self) -> str:
        return row_hash(*(getattr(self, name) for name in HASHED))


# What an event's hash covers, in the order row_hash takes them (the chain walk reads these
# columns as tuples, not models).
HASHED = (
    "prev_hash",
    "at",
    "actor_id",
    "actor_label",
    "school_id",
    "action",
    "object_type",
    "object_code",
    "summary",
    "request_id",
    "ip",
)


def row_hash(
    prev_hash, at, actor_id, actor_label, school_id, action, otype, ocode, summary, request_id, ip
) -> str:
    return event_hash(
        prev_hash=prev_hash,
        at=at.isoformat(),
        actor_id=actor_id,
        actor_label=actor_label,
        school_id=school_id,
        action=action,
        object_type=otype,
        object_code=ocode,
        summary=summary,
        request_id=request_id,
        ip=ip,
    )


def event_hash(**fields) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


GENESIS_HASH = "0" * 64
