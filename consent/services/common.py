"""What every consent service shares: the refusal and the audit line."""

from django.db import models

from esafety.actions import ServiceRefusal
from esafety.audit.services import audit_record
from esafety.people.models import Membership, School, User


class ConsentError(ServiceRefusal):
    """A rule stops this action; the message says what to do."""


def roles_at(user: User, school: School) -> set[str]:
    return set(
        Membership.objects.filter(user=user, school=school, is_active=True).values_list(
            "role", flat=True
        )
    )


def audit(
    actor: User | None, school: School, action: str, obj: models.Model, summary: str = ""
) -> None:
    # Summaries name pupils by MIS id only, never by name, and never carry a marking's reason.
    audit_record(actor=actor, school=school, action=action, obj=obj, summary=summary)
