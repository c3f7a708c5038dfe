"""Escalating a concern nobody has acknowledged in time: the next people on the school's list
are alerted, one level at a time."""

import datetime

from django.db import transaction
from django.utils import timezone

from esafety.audit.services import audit_record
from esafety.notify.models import Message
from esafety.notify.services import reminder_send
from incidents import routing
from incidents.models import Concern, EntryKind, Status
from incidents.services.common import _alert_emails, _entry


def escalation_due(concern: Concern, now: datetime.datetime) -> int:
    """The escalation level a still-unacknowledged concern should have reached by now."""
    minutes = (
        concern.school.immediate_risk_escalation_minutes
        if concern.immediate_risk
        else concern.school.escalation_minutes
    )
    waited = (now - concern.created_at).total_seconds() / 60
    return min(int(waited // minutes), routing.level_count(concern) - 1)


def concern_escalate(*, concern_id: int, now: datetime.datetime | None = None) -> int:
    """Alert the next people on the list for each level now due; each level once, ever.

    Safe to run twice or in two workers at once: each level is a keyed reminder (notify's
    reminder_send), which one run issues, with its alerts, and every other run finds issued.
    """
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        concern = (
            Concern.objects.select_for_update()
            .select_related("school")
            .filter(pk=concern_id, status=Status.REPORTED)
            .first()
        )
        if concern is None:
            return 0
        due = escalation_due(concern, now)
        for level in range(concern.escalation_level + 1, due + 1):
            minutes = int((now - concern.created_at).total_seconds() // 60)
            # routing.recipients leaves out whoever the concern is about and whoever logged it.
            emails = _alert_emails(
                concern,
                routing.recipients(concern, level),
                subject=f"Escalated: concern {concern.reference} not acknowledged",
                body=f"An online-safety concern at {concern.school.name} has not been "
                f"acknowledged after {minutes} minutes. Please make sure it is picked up now.",
            )
            if not reminder_send(
                school=concern.school,
                subject=f"concern:{concern.code}",
                kind="concern.escalation",
                period=str(level),
                emails=emails,
                message_kind=Message.Kind.ALERT,
            ):
                continue
            _entry(
                concern,
                EntryKind.ESCALATED,
                None,
                f"Escalated to level {level}: not acknowledged after {minutes} minutes.",
            )
            audit_record(
                actor=None,
                school=concern.school,
                action="concern.escalated",
                obj=concern,
                summary=f"{concern.reference}: level {level}",
            )
            sent += 1
        if due > concern.escalation_level:
            Concern.objects.filter(pk=concern.pk).update(escalation_level=due)
    return sent


def unacknowledged_concern_ids() -> list[int]:
    return list(Concern.objects.filter(status=Status.REPORTED).values_list("id", flat=True))
