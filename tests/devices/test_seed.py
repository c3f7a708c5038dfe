"""The demo school and the scale data set get their devices (only the apps built so far take
part here: another app's contribution still being written is left out of these two runs)."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from devices.models import CustodyEvent, Device, Equipment, HandIn, PhoneException, Search
from esafety import contributions
from esafety.people.models import Membership, Role

BUILT = ("people", "audit", "notify", "incidents", "policies", "devices")


@pytest.fixture
def only_built_apps(monkeypatch):
    registry = {k: v for k, v in contributions._registry.items() if k in BUILT}
    monkeypatch.setattr(contributions, "_registry", registry)


def test_the_demo_school_shows_devices_working(db, only_built_apps):
    call_command("seed_demo", "--pupils", "40", stdout=io.StringIO())
    assert PhoneException.objects.filter(reason="medical").count() == 1
    assert HandIn.objects.count() == 5
    assert Device.objects.filter(is_evidence=False, status="held").count() == 1
    assert Device.objects.filter(is_evidence=False, status="released").count() == 1
    evidence = Device.objects.get(is_evidence=True)
    assert evidence.sealed_bag == "EB-2041"
    assert Search.objects.count() == 1 and Equipment.objects.count() == 5
    dsl = Membership.objects.get(role=Role.DSL).user
    client = Client()
    client.force_login(dsl, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(
        reverse("incidents:detail", args=[evidence.school.code, evidence.concern_code])
    )
    assert b"EB-2041" in page.content


def test_the_scale_data_set_has_devices_in_every_school(db, only_built_apps):
    call_command("seed_scale", "--schools", "2", "--factor", "0.01", stdout=io.StringIO())
    call_command("verify_audit", stdout=io.StringIO())
    for school_id in Device.objects.values_list("school", flat=True).distinct():
        assert HandIn.objects.filter(school_id=school_id).exists()
    assert Device.objects.values("school").distinct().count() == 2
    assert CustodyEvent.objects.count() >= Device.objects.count()
