"""What every policies service shares: the refusal, the audit line, the member's roles."""

from esafety.actions import ServiceRefusal
from esafety.audit.services import audit_record
from esafety.people.models import Membership, School, User
from policies.models import Policy, PolicyVersion


class PolicyError(ServiceRefusal):
    """A rule stops this action; the message says what to do.

    A refusal about one value the caller gave is a ValidationError keyed by the argument's name
    instead (for example {"next_review_due": ...}), so a form can show it beside its field."""


def roles_at(user: User, school: School) -> set[str]:
    return set(
        Membership.objects.filter(user=user, school=school, is_active=True).values_list(
            "role", flat=True
        )
    )


def audit(
    actor: User | None, version_or_policy: Policy | PolicyVersion, action: str, summary: str = ""
) -> None:
    policy = (
        version_or_policy.policy
        if isinstance(version_or_policy, PolicyVersion)
        else version_or_policy
    )
    audit_record(
        actor=actor, school=policy.school, action=action, obj=version_or_policy, summary=summary
    )


def clean_signature(typed_name: str) -> str:
    name = " ".join(typed_name.split())
    if len(name) < 2:
        raise PolicyError("Type your full name as your signature.")
    return name
