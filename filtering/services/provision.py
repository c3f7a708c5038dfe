"""Recording the filtering and monitoring provision. Each change is a new version; the school's
settings row is locked while the number is chosen, so two saves at once cannot share one."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from esafety.people.models import School, User
from filtering.models import (
    DeviceType,
    FilteringSettings,
    Method,
    ProvisionVersion,
    UserGroup,
)
from filtering.services.common import KEEPER_ROLES, FilteringError, audit, require_roles

COMPARED = (
    "filtering_provider",
    "filtering_product",
    "monitoring_provider",
    "monitoring_methods",
    "sites",
    "user_groups",
    "device_types",
    "mobile_data",
    "blocks_iwf_list",
    "blocks_terrorist_list",
    "uksic_response_url",
)


def _choices(
    value: list[str], allowed: type[models.TextChoices], field: str, what: str
) -> list[str]:
    if not value:
        raise ValidationError({field: f"Choose at least one {what}."})
    unknown = set(value) - set(allowed.values)
    if unknown:
        raise ValidationError({field: f"Choose from the list ({', '.join(sorted(unknown))})."})
    return [v for v in allowed.values if v in value]  # in the list's order, once each


@transaction.atomic
def provision_record(
    *,
    school: School,
    actor: User,
    filtering_provider: str,
    filtering_product: str,
    monitoring_provider: str,
    monitoring_methods: list[str],
    sites: str,
    user_groups: list[str],
    device_types: list[str],
    mobile_data: str,
    blocks_iwf_list: bool,
    blocks_terrorist_list: bool,
    uksic_response_url: str = "",
    change_note: str = "",
) -> ProvisionVersion:
    require_roles(actor, school, KEEPER_ROLES, "record the provision")
    FilteringSettings.objects.get_or_create(school=school)
    FilteringSettings.objects.select_for_update().get(school=school)
    current = ProvisionVersion.objects.filter(school=school).order_by("-number").first()
    version = ProvisionVersion(
        school=school,
        number=(current.number + 1) if current else 1,
        filtering_provider=filtering_provider.strip(),
        filtering_product=filtering_product.strip(),
        monitoring_provider=monitoring_provider.strip(),
        monitoring_methods=_choices(
            monitoring_methods, Method, "monitoring_methods", "monitoring method"
        ),
        sites="\n".join(line.strip() for line in sites.splitlines() if line.strip()),
        user_groups=_choices(user_groups, UserGroup, "user_groups", "user group"),
        device_types=_choices(device_types, DeviceType, "device_types", "device type"),
        mobile_data=mobile_data.strip(),
        blocks_iwf_list=blocks_iwf_list,
        blocks_terrorist_list=blocks_terrorist_list,
        uksic_response_url=uksic_response_url.strip(),
        change_note=change_note.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    if current and all(getattr(current, f) == getattr(version, f) for f in COMPARED):
        raise FilteringError(
            f"Nothing has changed since version {current.number}: there is nothing to save."
        )
    if current and not version.change_note:
        raise ValidationError({"change_note": "Say what changed, and why."})
    version.full_clean()
    version.save()
    audit(actor, school, "filtering.provision_recorded", version, summary=f"v{version.number}")
    return version
