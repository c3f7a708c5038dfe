import datetime

import pytest
from django.utils import timezone

from filtering.models import CheckCategory, DeviceType, Method, RoleKind, UserGroup
from filtering.services import checks, provision, roles


@pytest.fixture
def named(personas):
    """The head is the named senior leader and Gita (not the chair) the named governor."""
    for kind, user in (
        (RoleKind.SENIOR_LEADER, personas.head),
        (RoleKind.GOVERNOR, personas.governor),
        (RoleKind.DSL, personas.dsl),
    ):
        roles.role_assign(
            school=personas.school, actor=personas.head, kind=kind, user=user, duties="Duties."
        )
    return personas


@pytest.fixture
def record_provision(personas):
    def _record(devices=(DeviceType.WINDOWS, DeviceType.IPAD), **kw):
        fields = dict(
            school=personas.school,
            actor=personas.online_safety_lead,
            filtering_provider="Provider",
            filtering_product="Product",
            monitoring_provider="Monitor",
            monitoring_methods=[Method.DEVICE],
            sites="Main site",
            user_groups=[UserGroup.KS2, UserGroup.STAFF],
            device_types=list(devices),
            mobile_data="Phones are handed in.",
            blocks_iwf_list=True,
            blocks_terrorist_list=True,
        )
        return provision.provision_record(**(fields | kw))

    return _record


@pytest.fixture
def record_check(personas):
    def _record(failed=False, device=DeviceType.IPAD, group=UserGroup.KS2, tested_on=None, **kw):
        results = [checks.Result(CheckCategory.CHILD_ABUSE, True)]
        results.append(
            checks.Result(CheckCategory.ADULT, not failed, "Told the provider." if failed else "")
        )
        return checks.check_record(
            school=personas.school,
            actor=kw.pop("actor", personas.online_safety_lead),
            device_type=device,
            user_group=group,
            tool="Test tool",
            tested_on=tested_on or timezone.localdate() - datetime.timedelta(days=1),
            results=results,
            **kw,
        )

    return _record
