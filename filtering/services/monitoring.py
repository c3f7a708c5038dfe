"""Monitoring: the provider's weekly report read and acknowledged, the out-of-hours rota and the
urgent alerts it receives. Each is added, never changed."""

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from esafety.people.models import Role, School, User
from filtering.models import OnCallShift, ReportAcknowledgement, UrgentAlert
from filtering.services.common import (
    KEEPER_ROLES,
    READER_ROLES,
    FilteringError,
    audit,
    check_concern,
    require_roles,
    roles_at,
)

# Who may receive an urgent alert out of hours: those who can act on a safeguarding concern.
ON_CALL_ROLES = frozenset({Role.DSL, Role.DEPUTY_DSL, Role.HEAD, Role.ONLINE_SAFETY_LEAD})


@transaction.atomic
def report_acknowledge(
    *,
    school: School,
    actor: User,
    week_start: datetime.date,
    note: str,
    showed_concern: bool = False,
    concern_code: UUID | None = None,
) -> ReportAcknowledgement:
    if not roles_at(actor, school) & READER_ROLES:
        raise FilteringError("Only the DSL, the online safety lead or the head read the reports.")
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": "A report's week starts on a Monday."})
    if week_start > timezone.localdate():
        raise ValidationError({"week_start": "That week has not started yet."})
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say what the report showed, even if it was nothing."})
    check_concern(school, concern_code)
    if concern_code and not showed_concern:
        showed_concern = True
    ack = ReportAcknowledgement(
        school=school,
        week_start=week_start,
        acknowledged_by=actor,
        acknowledged_at=timezone.now(),
        note=note,
        showed_concern=showed_concern,
        concern_code=concern_code,
    )
    try:
        with transaction.atomic():
            ack.save()
    except IntegrityError:
        raise FilteringError(
            f"The report for the week of {week_start:%-d %B %Y} is acknowledged already."
        ) from None
    audit(actor, school, "filtering.report_acknowledged", ack, summary=f"{week_start}")
    return ack


@transaction.atomic
def shift_record(
    *,
    school: School,
    actor: User,
    user: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> OnCallShift:
    require_roles(actor, school, KEEPER_ROLES, "keep the on-call rota")
    if not roles_at(user, school) & ON_CALL_ROLES:
        raise ValidationError(
            {"user": "Whoever is on call must be able to act on a safeguarding concern."}
        )
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The shift ends on or after the day it starts."})
    shift = OnCallShift.objects.create(
        school=school,
        user=user,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit(actor, school, "filtering.shift_recorded", shift)
    return shift


@transaction.atomic
def alert_record(
    *,
    school: School,
    actor: User,
    received_at: datetime.datetime,
    acted_at: datetime.datetime,
    received_by: User,
    action: str,
    concern_code: UUID | None = None,
) -> UrgentAlert:
    if not roles_at(actor, school) & READER_ROLES:
        raise FilteringError("Only the DSL, the online safety lead or the head record alerts.")
    if not roles_at(received_by, school) & ON_CALL_ROLES:
        raise ValidationError({"received_by": "Choose who received it."})
    check_concern(school, concern_code)
    now = timezone.now()
    if received_at > now or acted_at > now:
        raise ValidationError({"acted_at": "An alert cannot be recorded in the future."})
    if acted_at < received_at:
        raise ValidationError({"acted_at": "It was acted on after it was received."})
    action = action.strip()
    if not action:
        raise ValidationError({"action": "Say what was done (not the child's name)."})
    alert = UrgentAlert.objects.create(
        school=school,
        received_at=received_at,
        acted_at=acted_at,
        received_by=received_by,
        action=action,
        concern_code=concern_code,
        recorded_at=now,
    )
    audit(actor, school, "filtering.alert_recorded", alert)
    return alert
