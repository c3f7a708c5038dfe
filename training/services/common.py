"""What every training service shares: its refusal, the roles that do what, the school's
settings and default catalogue (made on first use), and the audit helper."""

from django.db import IntegrityError, transaction
from django.db.models import Model

from esafety.actions import ServiceRefusal
from esafety.audit.services import audit_record
from esafety.people.models import STAFF_ROLES, Membership, Role, School, User
from training.catalogue import DEFAULT_COURSES
from training.models import Course, TrainingSettings

# Who checks certificates, records briefings and sees everyone's row (the issue: the online
# safety lead, the DSL or the head).
VERIFIERS = frozenset({Role.ONLINE_SAFETY_LEAD, Role.DSL, Role.HEAD})
# Who keeps the catalogue and the settings.
KEEPERS = frozenset({Role.ONLINE_SAFETY_LEAD, Role.HEAD})
# Whoever holds training records: everyone employed, and governors.
TRAINEES = frozenset(STAFF_ROLES | {Role.GOVERNOR})


class TrainingError(ServiceRefusal):
    pass


def roles_at(user: User, school: School) -> set[str]:
    return set(
        Membership.objects.filter(user=user, school=school, is_active=True).values_list(
            "role", flat=True
        )
    )


def require_roles(user: User, school: School, allowed: frozenset[str], doing: str) -> set[str]:
    roles = roles_at(user, school)
    if not roles & allowed:
        raise TrainingError(f"You cannot {doing} at this school.")
    return roles


def audit(actor: User | None, school: School, action: str, obj: Model, summary: str = "") -> None:
    audit_record(actor=actor, school=school, action=action, obj=obj, summary=summary)


def settings_for(*, school: School) -> TrainingSettings:
    """The school's settings, made on first use with the default catalogue beside them."""
    found = TrainingSettings.objects.filter(school=school).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            found = TrainingSettings.objects.create(school=school)
            Course.objects.bulk_create(
                Course(school=school, order=i * 10, **course)
                for i, course in enumerate(DEFAULT_COURSES, start=1)
            )
    except IntegrityError:
        # Two first uses at once: the other one made them.
        return TrainingSettings.objects.get(school=school)
    return found


def export_record(*, actor: User, school: School, what: str, rows: int) -> None:
    """A download of people's names leaves the system: record who took it, and when."""
    audit_record(
        actor=actor,
        school=school,
        action=f"export.{what}",
        object_type="export",
        summary=f"{rows} named row(s)",
    )
