"""School equipment: cameras, tablets and laptops, who has one off site, and the weekly
confirmation that images were deleted from the school's cameras."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from devices.models import CameraWipe, Equipment, EquipmentMovement
from devices.services.common import DeviceError, audit, clean_text, local_now, roles_at
from esafety.people.models import STAFF_ROLES, School, User


def iso_week(school: School, now: datetime.datetime | None = None) -> str:
    year, week, _ = local_now(school, now).isocalendar()
    return f"{year}-W{week:02d}"


@transaction.atomic
def equipment_add(
    *, actor: User, school: School, asset_tag: str, kind: str, description: str, encrypted: bool
) -> Equipment:
    item = Equipment(
        school=school,
        asset_tag=clean_text(asset_tag),
        kind=kind,
        description=clean_text(description),
        encrypted=encrypted,
    )
    if Equipment.objects.filter(school=school, asset_tag=item.asset_tag).exists():
        raise ValidationError({"asset_tag": "Another item has this asset tag."})
    item.full_clean()
    item.save()
    audit(actor, school, "equipment.added", item, item.asset_tag)
    return item


@transaction.atomic
def equipment_check_out(*, actor: User, item: Equipment, member: User) -> Equipment:
    item = Equipment.objects.select_for_update().get(pk=item.pk)
    if item.off_site_with_id is not None:
        raise DeviceError("This item is off site already: check it in first.")
    if not roles_at(member, item.school) & STAFF_ROLES:
        raise ValidationError({"member": "Choose a member of staff of this school."})
    now = timezone.now()
    item.off_site_with, item.off_site_since = member, now
    item.save(update_fields=["off_site_with", "off_site_since", "updated_at"])
    EquipmentMovement.objects.create(
        equipment=item, kind=EquipmentMovement.Kind.OUT, member=member, recorded_by=actor, at=now
    )
    audit(actor, item.school, "equipment.checked_out", item, item.asset_tag)
    return item


@transaction.atomic
def equipment_check_in(*, actor: User, item: Equipment) -> Equipment:
    item = Equipment.objects.select_for_update().get(pk=item.pk)
    if item.off_site_with_id is None:
        raise DeviceError("This item is in school already.")
    member = item.off_site_with
    assert member is not None
    item.off_site_with, item.off_site_since = None, None
    item.save(update_fields=["off_site_with", "off_site_since", "updated_at"])
    EquipmentMovement.objects.create(
        equipment=item,
        kind=EquipmentMovement.Kind.IN,
        member=member,
        recorded_by=actor,
        at=timezone.now(),
    )
    audit(actor, item.school, "equipment.checked_in", item, item.asset_tag)
    return item


@transaction.atomic
def camera_wipe_confirm(*, actor: User, school: School) -> CameraWipe:
    """This week's images were deleted from every school camera."""
    week = iso_week(school)
    wipe = CameraWipe(school=school, week=week, confirmed_by=actor, at=timezone.now())
    try:
        with transaction.atomic():
            wipe.save()
    except IntegrityError:
        raise DeviceError(f"This week ({week}) is confirmed already.") from None
    audit_obj = wipe
    audit(actor, school, "equipment.camera_images_deleted", audit_obj, week)
    return wipe
