"""The demo school and the scale data set carry the filtering evidence the issue asks for."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from esafety.audit.chain import chain_report
from esafety.people.models import School
from filtering.models import (
    AnnualReview,
    Check,
    CheckTask,
    Decision,
    ProvisionVersion,
    ReportAcknowledgement,
    RoleAssignment,
    UrgentAlert,
)
from filtering.selectors import status

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_year_of_evidence():
    call_command("seed_demo", "--pupils", "40", stdout=io.StringIO())
    school = School.objects.get()
    today = timezone.localdate()
    assert RoleAssignment.objects.filter(school=school).count() == 5
    assert ProvisionVersion.objects.filter(school=school).count() == 2
    assert Check.objects.filter(school=school).count() >= 15
    # One failed check, resolved.
    task = CheckTask.objects.get(school=school)
    assert task.resolved_at is not None
    assert Decision.objects.filter(school=school).count() == 4
    reports = status.report_weeks(school=school, today=today)
    assert reports.missed == 1
    assert reports.acknowledged == ReportAcknowledgement.objects.filter(school=school).count()
    assert UrgentAlert.objects.filter(school=school).exists()
    review = AnnualReview.objects.get(school=school)
    assert review.signed_at is not None
    assert status.review_status(school=school, today=today).state == "ok"
    assert chain_report().breaks == []


def test_the_scale_data_set_adds_filtering_to_every_school():
    call_command("seed_scale", "--schools", "2", "--factor", "0.01", stdout=io.StringIO())
    for school in School.objects.all():
        assert ProvisionVersion.objects.filter(school=school).count() == 2
        assert Check.objects.filter(school=school).count() >= 48
        assert Decision.objects.filter(school=school).exists()
        assert ReportAcknowledgement.objects.filter(school=school).exists()
        assert AnnualReview.objects.filter(school=school, signed_at__isnull=False).count() == 1
    # The bulk rows' audit events keep every school's chain whole.
    assert chain_report().breaks == []
