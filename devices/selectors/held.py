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
from uuid import UUID

from django.db.models import Q, QuerySet

from devices.models import CustodyEvent, Device, DeviceStatus, Search
from esafety.audit.selectors import audit_event_sources
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


def _visible_concern_codes(access: SchoolAccess, codes: set[str]) -> set[str]:
    # Asked even when no device is linked, so a page's queries do not depend on whether the
    # school holds evidence; and only of each concern's one "logged" event, so the rows read do
    # not grow with how often the concern has been read since.
    token = _asking.set(True)
    try:
        own, _sign_ins = audit_event_sources(access=access)
        return set(
            own.filter(
                object_type=CONCERN_TYPE, action="concern.logged", object_code__in=sorted(codes)
            )
            .order_by()
            .values_list("object_code", flat=True)
            .distinct()
        )
    finally:
        _asking.reset(token)


def evidence_for(access: SchoolAccess) -> QuerySet[Device]:
    """Evidence devices this member may know of (two queries: the concerns linked, checked)."""
    if not access.has(*EVIDENCE_ROLES):
        return Device.objects.none()
    evidence = Device.objects.filter(school=access.school, is_evidence=True)
    linked = {str(c) for c in evidence.values_list("concern_code", flat=True).distinct()}
    visible = _visible_concern_codes(access, linked)
    return evidence.filter(concern_code__in=visible)


def devices_for(access: SchoolAccess) -> QuerySet[Device]:
    """Every device this member may see: confiscations, and evidence as evidence_for says."""
    if not access.has(*HANDLER_ROLES):
        return Device.objects.none()
    confiscated = Device.objects.filter(school=access.school, is_evidence=False)
    if not access.has(*EVIDENCE_ROLES):
        return confiscated
    return confiscated | Device.objects.filter(
        pk__in=list(evidence_for(access).values_list("pk", flat=True))
    )


def held(access: SchoolAccess, *, evidence: bool) -> tuple[list[Device], int]:
    qs = evidence_for(access) if evidence else devices_for(access).filter(is_evidence=False)
    qs = qs.filter(status=DeviceStatus.HELD).select_related(
        "pupil", "pupil__school_class", "taken_by"
    )
    return list(qs.order_by("taken_at", "id")[:LIST_LIMIT]), qs.count()


def recently_closed(access: SchoolAccess, limit: int = 20) -> list[Device]:
    return list(
        devices_for(access)
        .exclude(status=DeviceStatus.HELD)
        .select_related("pupil")
        .order_by("-closed_at", "-id")[:limit]
    )


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
    return list(
        Device.objects.filter(
            school=access.school, is_evidence=True, concern_code=concern_code
        ).order_by("taken_at", "id")
    )


def evidence_held_count(access: SchoolAccess) -> int:
    return evidence_for(access).filter(status=DeviceStatus.HELD).count()


def evidence_held_among(access: SchoolAccess, concerns: QuerySet) -> int:
    """Evidence devices held for one of `concerns`: the concerns this member may open, as the
    concerns app's page passes them (its own rule, not yet run), so the count is one query. The
    same answer as evidence_held_count, which finds those concerns through the audit trail."""
    if not access.has(*EVIDENCE_ROLES):
        return 0
    return Device.objects.filter(
        school=access.school,
        is_evidence=True,
        status=DeviceStatus.HELD,
        concern_code__in=concerns.order_by().values("code"),
    ).count()


def hidden_evidence_codes(access: SchoolAccess) -> list[str]:
    """Evidence devices of the school this member may not know of, as the audit trail spells
    their codes."""
    if _asking.get():
        return []
    # One read of the school's evidence devices and their concerns, then evidence_for's rule on
    # those concerns (the same two questions it asks), rather than evidence_for's queries and
    # two more around them.
    evidence = list(
        Device.objects.filter(school=access.school, is_evidence=True).values_list(
            "code", "concern_code"
        )
    )
    if not access.has(*EVIDENCE_ROLES):
        return [str(code) for code, _concern in evidence]
    visible = _visible_concern_codes(access, {str(c) for _code, c in evidence})
    return [str(code) for code, concern in evidence if str(concern) not in visible]


def searches(access: SchoolAccess, limit: int = LIST_LIMIT) -> tuple[list[Search], int]:
    qs = Search.objects.filter(school=access.school).select_related(
        "pupil", "authorised_by", "searched_by", "witnessed_by"
    )
    return list(qs.order_by("-at", "-id")[:limit]), qs.count()


def audit_events_hidden_from(access: SchoolAccess) -> Q | None:
    """Audit events about an evidence device this member may not know of."""
    hidden = hidden_evidence_codes(access)
    if not hidden:
        return None
    return Q(object_type=Device._meta.label_lower, object_code__in=hidden)
