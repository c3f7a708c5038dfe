"""Devices held as evidence: quarantined by the DSL from a concern's page, released only by the
DSL with a note of the police's advice, or handed to the police.

The link to the concern is proved by a signed token the concern's page gives its reader (the
panel in devices/contributions.py): only someone who may open the concern has one, so this app
never needs to read the concerns app's records to know that.
"""

from uuid import UUID

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from devices.models import CustodyKind, Device, DeviceStatus, PoliceHandover, Release
from devices.services.common import DeviceError, audit, clean_text, require_role
from devices.services.custody import _held, _release, custody_add
from esafety.people.models import Role, School, User

LINK_SALT = "devices.evidence-link"
# The concern's page was opened within this long: long enough to bag a phone and type it in.
LINK_MAX_AGE = 8 * 60 * 60


def link_token(*, school: School, user: User, concern_code: UUID) -> str:
    return signing.dumps(
        {"s": str(school.code), "u": str(user.code), "c": str(concern_code)}, salt=LINK_SALT
    )


def concern_from_token(*, school: School, user: User, token: str) -> UUID:
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        raise DeviceError(
            "Open the concern again and link the device from its page (the link has expired)."
        ) from None
    if data.get("s") != str(school.code) or data.get("u") != str(user.code):
        raise DeviceError("Open the concern again and link the device from its page.")
    return UUID(data["c"])


def _dsl_only(actor: User, school: School, what: str) -> None:
    require_role(actor, school, Role.DSL, refusal=f"Only the DSL may {what}.")


@transaction.atomic
def evidence_quarantine(
    *,
    actor: User,
    school: School,
    token: str,
    kind: str,
    description: str,
    sealed_bag: str,
    held_at: str,
    reason: str,
) -> Device:
    _dsl_only(actor, school, "hold a device as evidence")
    concern_code = concern_from_token(school=school, user=actor, token=token)
    sealed_bag = clean_text(sealed_bag)
    if not sealed_bag:
        raise ValidationError({"sealed_bag": "Write the sealed bag's number."})
    if Device.objects.filter(school=school, is_evidence=True, sealed_bag=sealed_bag).exists():
        raise ValidationError({"sealed_bag": "A device is already held in a bag with this number."})
    device = Device(
        school=school,
        kind=kind,
        description=clean_text(description),
        reason=clean_text(reason),
        taken_by=actor,
        taken_at=timezone.now(),
        held_at=clean_text(held_at),
        is_evidence=True,
        concern_code=concern_code,
        sealed_bag=sealed_bag,
    )
    device.full_clean()
    device.save()
    custody_add(
        device=device,
        kind=CustodyKind.TAKEN,
        by=actor,
        place=device.held_at,
        note=f"sealed in bag {sealed_bag}; not switched on, not looked through",
    )
    audit(actor, school, "evidence.quarantined", device)
    return device


@transaction.atomic
def evidence_to_police(*, actor: User, device: Device, reference: str, officer: str) -> Device:
    _dsl_only(actor, device.school, "hand an evidence device to the police")
    if not device.is_evidence:
        raise DeviceError("Only a device held as evidence is handed to the police here.")
    reference, officer = clean_text(reference), clean_text(officer)
    if not reference:
        raise ValidationError({"reference": "Write the police's reference."})
    if not officer:
        raise ValidationError({"officer": "Write the officer's name and number."})
    device = _held(device)
    now = timezone.now()
    PoliceHandover.objects.create(
        device=device, reference=reference, officer=officer, handed_over_by=actor, at=now
    )
    device.status = DeviceStatus.WITH_POLICE
    device.closed_at = now
    device.save(update_fields=["status", "closed_at", "updated_at"])
    custody_add(
        device=device,
        kind=CustodyKind.POLICE,
        by=actor,
        person=officer,
        note=f"police reference {reference}; sealed bag {device.sealed_bag}",
    )
    audit(actor, device.school, "evidence.handed_to_police", device)
    return device


@transaction.atomic
def evidence_release(
    *, actor: User, device: Device, to_name: str, police_advice: str, signature: str
) -> Release:
    """Only the DSL, and only with a note of what the police advised."""
    _dsl_only(actor, device.school, "release a device held as evidence")
    if not device.is_evidence:
        raise DeviceError("This device is not held as evidence.")
    police_advice, to_name = clean_text(police_advice), clean_text(to_name)
    if not police_advice:
        raise ValidationError(
            {
                "police_advice": "Write what the police advised: an evidence device is released "
                "only on their advice."
            }
        )
    if not to_name:
        raise ValidationError({"to_name": "Name the person it is released to."})
    device = _held(device)
    release = _release(
        actor=actor,
        device=device,
        guardian=None,
        to_name=to_name,
        other_reason="released on police advice",
        signature=signature,
        police_advice=police_advice,
    )
    audit(actor, device.school, "evidence.released", device)
    return release
