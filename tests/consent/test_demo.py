"""The demo school shows consent working: decisions (some withdrawn), one marked pupil, uses
with a re-share and take-downs open and done."""

import io

import pytest
from django.core.management import call_command

from consent.models import Decision, Marking, Method, Publication, TakeDown
from esafety.audit.chain import chain_breaks
from esafety.people.models import Role, School


@pytest.mark.django_db
def test_the_demo_has_consent_of_every_kind():
    call_command("seed_demo", "--pupils", "40", stdout=io.StringIO())
    school = School.objects.get(urn="999001")
    assert Decision.objects.filter(school=school, method=Method.PAPER).count() > 100
    parent_decisions = Decision.objects.filter(school=school, method=Method.ONLINE)
    assert parent_decisions.count() == 3
    assert {d.guardian.user.memberships.get().role for d in parent_decisions} == {Role.PARENT}
    assert Marking.objects.filter(school=school, lifted_at__isnull=True).count() == 1
    assert Publication.objects.filter(school=school, original__isnull=False).count() == 1
    assert TakeDown.objects.filter(school=school, closed_at__isnull=True).count() == 2
    assert TakeDown.objects.filter(school=school, cannot_recall=True).count() == 1
    assert chain_breaks() == []
