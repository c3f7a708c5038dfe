"""The decision log: every request to block or allow, what was decided and why, and when it was
applied. Nothing here is changed once written; a later decision about the same site is a new one."""

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from esafety.people.models import School, User
from filtering.models import Decision, DecisionApplied, Outcome
from filtering.services.common import (
    KEEPER_ROLES,
    FilteringError,
    audit,
    check_concern,
    require_roles,
)


def _required(value: str, field: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def decision_record(
    *,
    school: School,
    actor: User,
    action: str,
    target_kind: str,
    target: str,
    requested_by: str,
    requested_on: datetime.date,
    reason: str,
    risk_assessment: str,
    outcome: str,
    decided_on: datetime.date,
    concern_code: UUID | None = None,
) -> Decision:
    require_roles(actor, school, KEEPER_ROLES, "record a filtering decision")
    today = timezone.localdate()
    if decided_on > today:
        raise ValidationError({"decided_on": "A decision cannot be dated in the future."})
    check_concern(school, concern_code)
    if requested_on > decided_on:
        raise ValidationError({"requested_on": "The request comes before the decision."})
    decision = Decision(
        school=school,
        action=action,
        target_kind=target_kind,
        target=_required(target, "target", "Say what was to be blocked or allowed."),
        requested_by=_required(requested_by, "requested_by", "Say who asked."),
        requested_on=requested_on,
        reason=_required(reason, "reason", "Say why it was asked for."),
        risk_assessment=_required(
            risk_assessment, "risk_assessment", "Every change is risk-assessed: record it."
        ),
        outcome=outcome,
        decided_by=actor,
        decided_on=decided_on,
        recorded_at=timezone.now(),
        concern_code=concern_code,
    )
    decision.full_clean()
    decision.save()
    audit(
        actor,
        school,
        "filtering.decision_recorded",
        decision,
        summary=f"{decision.get_action_display()} {decision.get_outcome_display().lower()}",
    )
    return decision


@transaction.atomic
def decision_applied(
    *, decision: Decision, actor: User, applied_on: datetime.date, applied_by: str
) -> DecisionApplied:
    require_roles(actor, decision.school, KEEPER_ROLES, "record when a decision was applied")
    if decision.outcome != Outcome.APPROVED:
        raise FilteringError("A refused request is not applied: there is nothing to record.")
    if applied_on < decision.decided_on:
        raise ValidationError({"applied_on": "It cannot be applied before it was decided."})
    if applied_on > timezone.localdate():
        raise ValidationError({"applied_on": "It cannot be applied in the future."})
    row = DecisionApplied(
        decision=decision,
        applied_on=applied_on,
        applied_by=_required(applied_by, "applied_by", "Say who applied it."),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise FilteringError("When it was applied is recorded already.") from None
    audit(actor, decision.school, "filtering.decision_applied", decision)
    return row
