"""Confiscations, movements and releases: every step of a device is a custody event.

A confiscated phone goes back only to one of the pupil's guardians, or to another adult named
with a reason, who signs for it; the member of staff handing it over is recorded. A device held
as evidence goes back only through the DSL, with a note of the police's advice (evidence.py).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from devices.models import CustodyEvent, CustodyKind, Device, DeviceStatus, Release
from devices.selectors.desk import current_exception
from devices.services.common import DeviceError, audit, clean_text, require_role, school_today
from esafety.notify.services import message_queue
from esafety.people.models import Guardian, Pupil, Role, User

# A member of staff only: a device is never handed over by a parent's or governor's account.
HANDLERS = (Role.STAFF, Role.OFFICE, Role.HEAD, Role.DSL, Role.DEPUTY_DSL, Role.ONLINE_SAFETY_LEAD)


class MedicalPhoneWarning(DeviceError):
    """The pupil's phone is a medical need: confiscating it needs an explicit confirmation."""


def custody_add(
    *, device: Device, kind: str, by: User, place: str = "", person: str = "", note: str = ""
) -> CustodyEvent:
    event = CustodyEvent(
        device=device,
        kind=kind,
        at=timezone.now(),
        by=by,
        place=clean_text(place),
        person=clean_text(person),
        note=clean_text(note),
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def device_confiscate(
    *,
    actor: User,
    pupil: Pupil,
    kind: str,
    description: str,
    reason: str,
    held_at: str,
    condition: str = "",
    medical_confirmed: bool = False,
) -> Device:
    school = pupil.school
    require_role(actor, school, *HANDLERS, refusal="Only staff may confiscate a device.")
    exception = current_exception(pupil, school_today(school))
    if exception is not None and exception.is_medical and not medical_confirmed:
        raise MedicalPhoneWarning(
            "This pupil's phone is a medical need (a reasonable adjustment, such as a glucose "
            "monitor): it must not be taken away. Confirm only if a senior leader has agreed "
            "with the pupil's parents and medical plan."
        )
    device = Device(
        school=school,
        pupil=pupil,
        kind=kind,
        description=clean_text(description),
        reason=clean_text(reason),
        condition=clean_text(condition),
        taken_by=actor,
        taken_at=timezone.now(),
        held_at=clean_text(held_at),
        breach=exception is None,
    )
    device.full_clean()
    device.save()
    custody_add(device=device, kind=CustodyKind.TAKEN, by=actor, place=device.held_at)
    audit(actor, school, "device.confiscated", device, device.kind)
    # The guardians are told something is waiting: never which child, never what.
    link = reverse("people:school_home", args=[school.code])
    for guardian in Guardian.objects.filter(pupil=pupil).select_related("user"):
        message_queue(
            kind="alert",
            subject="A device is waiting to be collected",
            body=(
                f"{school.name} is holding a device for you to collect from the school office. "
                "Please bring this email; the office will ask you to sign for it."
            ),
            link=link,
            school=school,
            recipient=guardian.user,
            to_email=guardian.email,
        )
    return device


def _held(device: Device) -> Device:
    locked = Device.objects.select_for_update().get(pk=device.pk)
    if locked.status != DeviceStatus.HELD:
        raise DeviceError("This device is no longer held by the school.")
    return locked


@transaction.atomic
def device_move(*, actor: User, device: Device, place: str = "", person: str = "") -> Device:
    """The device moved to a place, or was handed to a person (a member of staff)."""
    require_role(actor, device.school, *HANDLERS, refusal="Only staff may move a device.")
    if device.is_evidence:
        require_role(
            actor, device.school, Role.DSL, refusal="Only the DSL may move an evidence device."
        )
    place, person = clean_text(place), clean_text(person)
    if not place and not person:
        raise ValidationError({"place": "Say where it is now, or to whom it was handed."})
    device = _held(device)
    kind = CustodyKind.HANDED if person else CustodyKind.MOVED
    custody_add(device=device, kind=kind, by=actor, place=place, person=person)
    if place:
        device.held_at = place
        device.save(update_fields=["held_at", "updated_at"])
    audit(actor, device.school, f"device.{kind}", device)
    return device


def _release(
    *,
    actor: User,
    device: Device,
    guardian: Guardian | None,
    to_name: str,
    other_reason: str,
    signature: str,
    police_advice: str = "",
) -> Release:
    signature = clean_text(signature)
    if len(signature) < 2:
        raise ValidationError({"signature": "The person collecting it types their full name."})
    device.status = DeviceStatus.RELEASED
    device.closed_at = timezone.now()
    device.save(update_fields=["status", "closed_at", "updated_at"])
    release = Release(
        device=device,
        guardian=guardian,
        to_name=to_name,
        other_reason=other_reason,
        police_advice=police_advice,
        signature=signature,
        handed_over_by=actor,
        at=device.closed_at,
    )
    release.full_clean()
    release.save()
    custody_add(
        device=device,
        kind=CustodyKind.RETURNED,
        by=actor,
        person=to_name,
        note=f"signed: {signature}",
    )
    return release


@transaction.atomic
def device_release(
    *,
    actor: User,
    device: Device,
    guardian: Guardian | None,
    other_name: str = "",
    other_reason: str = "",
    signature: str,
) -> Release:
    """Hand a confiscated device back to a guardian of the pupil, or another named adult."""
    require_role(actor, device.school, *HANDLERS, refusal="Only staff may release a device.")
    if device.is_evidence:
        raise DeviceError(
            "This device is held as evidence: only the DSL can release it, with the police's "
            "advice."
        )
    device = _held(device)
    if guardian is not None:
        if guardian.pupil_id != device.pupil_id:
            raise ValidationError({"guardian": "Choose one of this pupil's parents or carers."})
        to_name, other_reason = guardian.full_name or guardian.email, ""
    else:
        to_name, other_reason = clean_text(other_name), clean_text(other_reason)
        if not to_name:
            raise ValidationError(
                {"other_name": "Choose a parent or carer, or name the adult collecting it."}
            )
        if not other_reason:
            raise ValidationError(
                {"other_reason": "Say why someone other than a parent or carer is collecting it."}
            )
    release = _release(
        actor=actor,
        device=device,
        guardian=guardian,
        to_name=to_name,
        other_reason=other_reason,
        signature=signature,
    )
    audit(actor, device.school, "device.released", device, "guardian" if guardian else "other")
    return release


@transaction.atomic
def chain_printed(*, actor: User, device: Device) -> None:
    """Printing a chain of custody is itself worth knowing about."""
    audit(actor, device.school, "device.chain_printed", device)


@transaction.atomic
def evidence_viewed(*, actor: User, device: Device) -> None:
    """Opening an evidence device is audited, as opening its concern is: who looked, and when."""
    if device.is_evidence:
        audit(actor, device.school, "evidence.viewed", device)
