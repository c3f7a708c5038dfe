"""Devices the school holds, and who may see which.

A confiscated device: anyone the school employs who handles devices. A device held as evidence:
the DSL only, and only when the DSL may open the concern it is linked to. That rule is the
concerns app's own (incidents.selectors.concerns_for), reached without importing that app: the
concerns app registers which audit events about concerns a member may not see, and a concern
this member may open is one whose events the audit trail shows them (its logging is always
audited). An accused DSL, the head and everyone else never learn an evidence device exists:
not in a list, a count, the home page, the digest or the audit log (apps.py registers the rule).
"""

import contextvars
from dataclasses import dataclass
from typing import cast
from uuid import UUID

from django.db.models import CharField, Count, Exists, Func, OuterRef, Q, QuerySet

from devices.models import CustodyEvent, Device, DeviceStatus, Search
from esafety.audit.selectors import EventFilter, HiddenRecords, event_filter, event_sources
from esafety.baked import Values, baked, fields_of
from esafety.people.access import SchoolAccess
from esafety.people.models import Guardian, Role

HANDLER_ROLES = (
    Role.STAFF,
    Role.OFFICE,
    Role.HEAD,
    Role.DSL,
    Role.DEPUTY_DSL,
    Role.ONLINE_SAFETY_LEAD,
)
EVIDENCE_ROLES = (Role.DSL,)
CONCERN_TYPE = "incidents.concern"
LIST_LIMIT = 100

# Set while evidence_for asks the audit trail which concerns are visible, so that this app's
# own hidden-events rule (which calls evidence_for) does not ask again.
_asking = contextvars.ContextVar("devices_asking_audit", default=False)


class UUIDText(Func):
    """A UUID column spelled as str(uuid) spells it, which is how an audit event holds its
    object's code. PostgreSQL's uuid::text is that spelling; SQLite keeps the 32 hex digits
    Django stores there, hyphenated here."""

    arity = 1
    output_field = CharField()
    template = "(%(expressions)s)::text"

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        sql, params = compiler.compile(self.source_expressions[0])
        groups = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
        return (
            "(" + " || '-' || ".join(f"substr({sql}, {a}, {n})" for a, n in groups) + ")",
            list(params) * len(groups),
        )


def _evidence_filter(access: SchoolAccess) -> EventFilter:
    """What the audit trail hides from this member (the concerns app's rule runs its one query
    here), without this app's own rule, which asks this."""
    token = _asking.set(True)
    try:
        return event_filter(access=access)
    finally:
        _asking.reset(token)


def _visible(shape: tuple, v: Values) -> Exists:
    """True of an evidence device whose concern this member may open: the concern's one
    "logged" event is among the audit events the trail shows them (the concerns app hides an
    allegation's events from the staff it names). Asked in the device query itself, by the index
    on the event's object_code, so that a page's queries do not depend on whether the school
    holds evidence, and the rows read do not grow with how often the concern has been read.
    From an EventFilter's shape and values (`_evidence_filter`), so a baked query asks it too."""
    own, _sign_ins = event_sources(shape, v)
    return Exists(
        own.filter(
            object_type=CONCERN_TYPE,
            action="concern.logged",
            object_code=UUIDText(OuterRef("concern_code")),
        )
    )


def _concern_visible(access: SchoolAccess) -> Exists:
    found = _evidence_filter(access)
    return _visible(found.shape, Values(found.values(access.school)))


def evidence_for(access: SchoolAccess) -> QuerySet[Device]:
    """Evidence devices this member may know of (the concerns app's one query, then lazy)."""
    if not access.has(*EVIDENCE_ROLES):
        return Device.objects.none()
    return Device.objects.filter(_concern_visible(access), school=access.school, is_evidence=True)


def _evidence_rule(access: SchoolAccess) -> Exists | None:
    """_concern_visible for the DSL; None for the rest, who know of no evidence device."""
    return _concern_visible(access) if access.has(*EVIDENCE_ROLES) else None


def _may_see(visible: Exists | None) -> Q:
    """Of a school's devices, those a handler may see: confiscations, and the evidence whose
    concern they may open (`visible`, from _evidence_rule)."""
    if visible is None:
        return Q(is_evidence=False)
    return Q(is_evidence=False) | Q(visible, is_evidence=True)


def devices_for(access: SchoolAccess) -> QuerySet[Device]:
    """Every device this member may see: confiscations, and evidence as evidence_for says."""
    if not access.has(*HANDLER_ROLES):
        return Device.objects.none()
    return Device.objects.filter(_may_see(_evidence_rule(access)), school=access.school)


@dataclass(frozen=True)
class Held:
    devices: list[Device]  # confiscated, held longest first, at most LIST_LIMIT
    total: int
    evidence: list[Device]  # held as evidence, at most LIST_LIMIT
    evidence_total: int
    closed: list[Device]  # released or handed over, newest first


def held_page(access: SchoolAccess, closed_limit: int = 20) -> Held:
    """The devices-held page in the same queries whatever the school holds: the concerns app's
    rule (for the DSL), each list, both counts in one, the recently closed. The evidence rule is
    asked once for the page, not once for each list."""
    if not access.has(*HANDLER_ROLES):
        return Held([], 0, [], 0, [])
    school = access.school
    held = Device.objects.filter(school=school, status=DeviceStatus.HELD)
    rows = held.select_related("pupil", "taken_by").order_by("taken_at", "id")
    devices = list(rows.filter(is_evidence=False)[:LIST_LIMIT])
    visible = _evidence_rule(access)
    if visible is not None:
        evidence = list(rows.filter(visible, is_evidence=True)[:LIST_LIMIT])
        counts = held.aggregate(
            total=Count("pk", filter=Q(is_evidence=False)),
            evidence=Count("pk", filter=Q(visible, is_evidence=True)),
        )
    else:
        evidence = []
        counts = {**held.aggregate(total=Count("pk", filter=Q(is_evidence=False))), "evidence": 0}
    closed = list(
        Device.objects.filter(_may_see(visible), school=school)
        .exclude(status=DeviceStatus.HELD)
        .order_by("-closed_at", "-id")[:closed_limit]
    )
    return Held(devices, counts["total"], evidence, counts["evidence"], closed)


def device_for(access: SchoolAccess, code: UUID) -> Device | None:
    return (
        devices_for(access)
        .filter(code=code)
        .select_related("pupil", "pupil__school_class", "taken_by", "school")
        .first()
    )


def chain(device: Device) -> list[CustodyEvent]:
    return list(
        CustodyEvent.objects.filter(device=device).select_related("by").order_by("at", "id")
    )


def guardians_of(device: Device) -> list[Guardian]:
    """Whom a confiscated device may go back to without a reason: the pupil's guardians."""
    if device.pupil_id is None:
        return []
    return list(Guardian.objects.filter(pupil_id=device.pupil_id).order_by("full_name", "id"))


def evidence_for_concern(access: SchoolAccess, concern_code: UUID) -> list[Device]:
    """For the concern's panel: the concern page is open, so its reader may open the concern."""
    if not access.has(*EVIDENCE_ROLES):
        return []
    return _evidence_of_concern.objects(Device, None, school=access.school.pk, concern=concern_code)


@baked
def _evidence_of_concern(shape: None, v: Values) -> QuerySet[Device]:
    devices = Device.objects.filter(school_id=v.school, is_evidence=True, concern_code=v.concern)
    return cast(QuerySet, devices.order_by("taken_at", "id").values(*fields_of(Device)))


@baked
def _held_evidence(shape: tuple, v: Values) -> QuerySet:
    held = Device.objects.filter(
        _visible(shape, v), school_id=v.school, is_evidence=True, status=DeviceStatus.HELD
    )
    return held.values("school_id").annotate(n=Count("pk"))


def evidence_held_count(access: SchoolAccess) -> int:
    """How many devices evidence_for shows are held: the concerns app's one query, then one."""
    if not access.has(*EVIDENCE_ROLES):
        return 0
    found = _evidence_filter(access)
    rows = _held_evidence.rows(found.shape, **found.values(access.school))
    return rows[0]["n"] if rows else 0


@baked
def _unseen_evidence(shape: tuple | None, v: Values) -> QuerySet:
    evidence = Device.objects.filter(school_id=v.school, is_evidence=True)
    if shape is not None:
        # evidence_for's rule, turned round: one read of the devices it does not show.
        evidence = evidence.exclude(_visible(shape, v))
    return evidence.values("code")


def hidden_evidence_codes(access: SchoolAccess) -> list[str]:
    """Evidence devices of the school this member may not know of, as the audit trail spells
    their codes."""
    if _asking.get():
        return []
    if access.has(*EVIDENCE_ROLES):
        found = _evidence_filter(access)
        rows = _unseen_evidence.rows(found.shape, **found.values(access.school))
    else:
        rows = _unseen_evidence.rows(None, school=access.school.pk)
    return [str(r["code"]) for r in rows]


def searches(access: SchoolAccess, limit: int = LIST_LIMIT) -> tuple[list[Search], int]:
    qs = Search.objects.filter(school=access.school).select_related(
        "pupil", "authorised_by", "searched_by", "witnessed_by"
    )
    return list(qs.order_by("-at", "-id")[:limit]), qs.count()


def audit_events_hidden_from(access: SchoolAccess) -> HiddenRecords | None:
    """Audit events about an evidence device this member may not know of."""
    hidden = hidden_evidence_codes(access)
    if not hidden:
        return None
    return HiddenRecords(Device._meta.label_lower, tuple(hidden))
