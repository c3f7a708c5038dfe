"""Naming who holds each role the standards ask for. A change adds a row: the earlier holder
stays on record."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from esafety.people.models import STAFF_ROLES, Role, School, User
from filtering.models import RoleAssignment, RoleKind
from filtering.services.common import KEEPER_ROLES, audit, require_roles, roles_at

# The school roles a member must hold to be named for each role of the standards.
ELIGIBLE: dict[str, frozenset[str]] = {
    # A member of the senior leadership team: the head, the DSL or the online safety lead.
    RoleKind.SENIOR_LEADER: frozenset({Role.HEAD, Role.DSL, Role.ONLINE_SAFETY_LEAD}),
    RoleKind.GOVERNOR: frozenset({Role.GOVERNOR}),
    RoleKind.DSL: frozenset({Role.DSL}),
    RoleKind.PROMPT_CHANGE: STAFF_ROLES - {Role.STAFF, Role.OFFICE},
}


@transaction.atomic
def role_assign(
    *,
    school: School,
    actor: User,
    kind: str,
    duties: str,
    user: User | None = None,
    name: str = "",
    organisation: str = "",
    contact: str = "",
) -> RoleAssignment:
    require_roles(actor, school, KEEPER_ROLES, "name who holds a role")
    if kind not in RoleKind.values:
        raise ValidationError({"kind": "Choose one of the standards' roles."})
    name = " ".join(name.split())
    duties = duties.strip()
    if not duties:
        raise ValidationError({"duties": "Say what this role does."})
    if kind == RoleKind.IT_PROVIDER:
        if not name or not organisation:
            raise ValidationError(
                {"name": "Give the contact's name and their organisation (the IT provider)."}
            )
        user = None
    elif kind in (RoleKind.SENIOR_LEADER, RoleKind.GOVERNOR, RoleKind.DSL):
        if user is None:
            raise ValidationError({"user": "Choose the member of the school who holds it."})
        name = ""
    elif user is None and not name:
        raise ValidationError({"user": "Choose a member of the school, or give a name."})
    if user is not None and not roles_at(user, school) & ELIGIBLE[kind]:
        raise ValidationError({"user": f"{user} cannot hold this role: {_eligible_words(kind)}."})
    row = RoleAssignment(
        school=school,
        kind=kind,
        user=user,
        name=name if user is None else "",
        organisation=organisation.strip(),
        contact=contact.strip(),
        duties=duties,
        assigned_by=actor,
        assigned_at=timezone.now(),
    )
    row.full_clean()
    row.save()
    audit(actor, school, "filtering.role_assigned", row, summary=row.get_kind_display())
    return row


def _eligible_words(kind: str) -> str:
    words: dict[str, str] = {
        RoleKind.SENIOR_LEADER: "it needs the head, the DSL or the online safety lead",
        RoleKind.GOVERNOR: "it needs a governor of the school",
        RoleKind.DSL: "it needs the school's designated safeguarding lead",
        RoleKind.PROMPT_CHANGE: "it needs a senior member of staff",
    }
    return words[kind]
