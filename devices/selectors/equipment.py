"""School equipment and the weekly camera check."""

from uuid import UUID

from devices.models import CameraWipe, Equipment, EquipmentKind
from esafety.people.models import School

LIMIT = 200


def equipment_list(*, school: School) -> tuple[list[Equipment], int]:
    qs = Equipment.objects.filter(school=school).select_related("off_site_with")
    return list(qs.order_by("asset_tag")[:LIMIT]), qs.count()


def equipment_of(*, school: School, code: UUID) -> Equipment | None:
    return Equipment.objects.filter(school=school, code=code).first()


def camera_week_confirmed(*, school: School, week: str) -> CameraWipe | None:
    return (
        CameraWipe.objects.filter(school=school, week=week).select_related("confirmed_by").first()
    )


def has_cameras(*, school: School) -> bool:
    return Equipment.objects.filter(school=school, kind=EquipmentKind.CAMERA).exists()
