import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from esafety.audit.chain import chain_report
from esafety.audit.models import AuditEvent
from esafety.people.models import Guardian, Membership, Pupil, Role, School, User
from incidents.models import (
    Concern,
    ConcernPupil,
    ConcernStaff,
    NudesAnswer,
    ProcedureStep,
    Referral,
    ReviewMeeting,
    TimelineEntry,
)
from incidents.procedure import missing_for_close
from policies.models import Acceptance, Policy, PolicyVersion

pytestmark = pytest.mark.django_db


def _seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", "--schools", "2", "--factor", "0.01", *args, stdout=out)
    return out.getvalue()


def _check_tiny_trust() -> None:
    out = _seed()
    assert School.objects.count() == 2
    # 0.01 of a 600-pupil school is 6 pupils; each has one guardian and half a second.
    assert Pupil.objects.count() == 12
    assert 12 <= Guardian.objects.count() <= 24
    for school in School.objects.all():
        roles = set(Membership.objects.filter(school=school).values_list("role", flat=True))
        assert roles >= {
            Role.HEAD,
            Role.DSL,
            Role.DEPUTY_DSL,
            Role.ONLINE_SAFETY_LEAD,
            Role.OFFICE,
            Role.STAFF,
            Role.GOVERNOR,
        }
        assert Membership.objects.filter(school=school, is_chair=True).count() == 1
        # Each app's contribution added its rows to every school.
        assert Concern.objects.filter(school=school).count() == 20
        assert Policy.objects.filter(school=school).exists()
        assert Acceptance.objects.filter(school=school).exists()
        # The chain reaches at least the school's size (200 events at 0.01).
        assert AuditEvent.objects.filter(school=school).count() >= 200
    assert ConcernPupil.objects.count() >= 40
    assert ProcedureStep.objects.exists()
    assert TimelineEntry.objects.filter(kind="logged").count() == 40
    assert PolicyVersion.objects.filter(status="published").count() == Policy.objects.count()
    report = chain_report()
    assert report.breaks == []
    assert report.total == AuditEvent.objects.count()
    assert "audit.AuditEvent" in out and "Time per part" in out
    call_command("verify_audit", stdout=io.StringIO())


def _dsl_opens_the_dashboard(client) -> None:
    dsl = User.objects.get(email="dsl@s001.scale.esafety.test")
    assert dsl.check_password("scale-esafety-2026")
    assert Authenticator.objects.filter(user=dsl, type="totp").exists()
    school = School.objects.get(urn="800001")
    client.force_login(dsl, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("incidents:dashboard", args=[school.code]))
    assert response.status_code == 200


def test_it_builds_a_tiny_trust_with_a_whole_chain(client):
    _check_tiny_trust()
    _dsl_opens_the_dashboard(client)


@pytest.mark.postgres
def test_it_builds_a_tiny_trust_with_copy_on_postgresql(client):
    _check_tiny_trust()
    _dsl_opens_the_dashboard(client)
    # The sequences moved past the ids seed_scale chose: an ordinary insert still works.
    School.objects.create(name="After the seed", urn="123456")


def test_it_names_the_accused_member_of_staff_on_staff_conduct_concerns():
    call_command(
        "seed_scale", "--schools", "1", "--pupils", "20", "--concerns", "300",
        "--audit-events", "0", stdout=io.StringIO(),
    )  # fmt: skip
    conduct = Concern.objects.filter(category="staff_conduct")
    assert conduct.exists()
    assert ConcernStaff.objects.filter(concern__in=conduct).count() == conduct.count()
    # Worked sharing-nudes concerns have their review meeting and the five answers; a closed
    # concern whose procedure needs a referral decision has one recorded.
    nudes = Concern.objects.filter(category="nudes").exclude(status="reported")
    assert nudes.exists()
    assert ReviewMeeting.objects.filter(concern__in=nudes).count() == nudes.count()
    assert NudesAnswer.objects.filter(concern__in=nudes).count() == 5 * nudes.count()
    closed = Concern.objects.filter(
        status="closed", steps__key__in=["referral_decision", "decision"]
    )
    assert closed.exists()
    assert not closed.exclude(pk__in=Referral.objects.values("concern_id")).exists()
    assert not ProcedureStep.objects.filter(concern__status="closed", state="open").exists()
    # What the closing page asks for is there on every closed concern.
    for concern in Concern.objects.filter(status="closed"):
        assert missing_for_close(concern) == []


def test_it_makes_the_ten_times_demo_school_from_its_options():
    call_command(
        "seed_scale", "--schools", "1", "--pupils", "50", "--concerns", "25",
        "--audit-events", "1000", stdout=io.StringIO(),
    )  # fmt: skip
    assert Pupil.objects.count() == 50
    assert Concern.objects.count() == 25
    assert AuditEvent.objects.exclude(school=None).count() == 1000
    assert chain_report().breaks == []


def test_it_refuses_a_database_with_schools_unless_told_to_add():
    _seed()
    with pytest.raises(CommandError, match="schools already"):
        _seed()
    _seed("--add")
    assert set(School.objects.values_list("urn", flat=True)) == {
        "800001",
        "800002",
        "800003",
        "800004",
    }
    assert chain_report().breaks == []


def test_it_never_runs_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        _seed()


def test_demo_totp_prints_the_code_of_a_scale_user_too():
    _seed()
    out = io.StringIO()
    call_command("demo_totp", "dsl@s001.scale.esafety.test", stdout=out)
    assert out.getvalue().strip().isdigit()
