"""What every filtering service shares: the refusal, the audit line, the settings row, who holds
which role of the standards now."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Model

from esafety.actions import ServiceRefusal
from esafety.audit.models import AuditEvent
from esafety.audit.services import audit_record
from esafety.people.models import Membership, Role, School, User
from filtering.models import FilteringSettings, RoleAssignment, RoleKind

# Who keeps the evidence: the online safety lead and the head (the named senior leader is one
# of them, or the DSL).
KEEPER_ROLES = frozenset({Role.ONLINE_SAFETY_LEAD, Role.HEAD})
READER_ROLES = KEEPER_ROLES | {Role.DSL, Role.DEPUTY_DSL}


class FilteringError(ServiceRefusal):
    """A rule stops this action; the message says what to do. A refusal about one value the
    caller gave is a ValidationError keyed by the argument's name instead."""


def roles_at(user: User, school: School) -> set[str]:
    return set(
        Membership.objects.filter(user=user, school=school, is_active=True).values_list(
            "role", flat=True
        )
    )


def require_roles(user: User, school: School, roles: frozenset[str], doing: str) -> None:
    if not roles_at(user, school) & roles:
        raise FilteringError(f"Only the online safety lead or the head can {doing}.")


def audit(actor: User | None, school: School, action: str, obj: Model, summary: str = "") -> None:
    audit_record(actor=actor, school=school, action=action, obj=obj, summary=summary)


def check_concern(school: School, concern_code: UUID | None) -> None:
    """A concern's code given here must be one of the school's concerns. This app does not
    import the incidents app: the audit trail's "concern.logged" event is the shared record
    that the concern exists (one query, by the indexed object code)."""
    if concern_code is None:
        return
    if not AuditEvent.objects.filter(
        school=school,
        object_type="incidents.concern",
        object_code=str(concern_code),
        action="concern.logged",
    ).exists():
        raise ValidationError(
            {
                "concern": "No concern of this school has that link or reference: paste it again "
                "from the concern's page."
            }
        )


def settings_for(school: School) -> FilteringSettings:
    found, _ = FilteringSettings.objects.get_or_create(school=school)
    return found


def current_roles(school: School) -> dict[str, RoleAssignment]:
    """The holder of each role now: the newest assignment of each kind. One query; a school has
    a handful of rows a year."""
    current: dict[str, RoleAssignment] = {}
    for row in (
        RoleAssignment.objects.filter(school=school)
        .select_related("user")
        .order_by("kind", "-assigned_at", "-id")
    ):
        current.setdefault(row.kind, row)
    return current


def senior_leader(school: School) -> User | None:
    """The named senior leader, else the head (a failed check's task needs someone)."""
    named = current_roles(school).get(RoleKind.SENIOR_LEADER)
    if named is not None and named.user is not None:
        return named.user
    head = (
        Membership.objects.filter(school=school, role=Role.HEAD, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return head.user if head else None
