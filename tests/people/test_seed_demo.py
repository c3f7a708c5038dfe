import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import CommandError

from esafety.audit.chain import chain_breaks
from esafety.people.access import is_privileged
from esafety.people.models import Guardian, Membership, Pupil, Role, School


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--pupils", "20", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_creates_one_user_per_role_and_prints_the_logins():
    out = _seed()
    school = School.objects.get(urn="999001")
    roles = set(Membership.objects.filter(school=school).values_list("role", flat=True))
    assert roles == set(Role.values)
    for m in Membership.objects.filter(school=school).select_related("user"):
        assert m.user.email in out
    assert "demo-esafety-2026" in out


@pytest.mark.django_db
def test_it_enrols_privileged_users_in_totp_and_prints_their_secrets():
    out = _seed()
    privileged = [
        m.user for m in Membership.objects.select_related("user") if is_privileged(m.user)
    ]
    # The DSL, deputy, online safety lead, head, and the chair of governors (who opens
    # allegations about the head).
    assert {u.email.split("@")[0] for u in privileged} >= {"dsl", "head"}
    for user in privileged:
        assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert sum(1 for line in out.splitlines() if "   TOTP secret " in line) == len(privileged) == 5


@pytest.mark.django_db
def test_it_can_leave_mfa_to_the_first_sign_in():
    out = _seed("--mfa-on-first-sign-in")
    assert not Authenticator.objects.exists()
    assert "TOTP secret" not in out


@pytest.mark.django_db
def test_it_links_the_demo_parent_to_their_two_children_only():
    _seed()
    parent = Membership.objects.get(role=Role.PARENT).user
    assert Pupil.objects.count() == 20
    assert Guardian.objects.filter(user=parent).count() == 2


@pytest.mark.django_db
def test_it_writes_everything_through_the_services_so_the_audit_chain_is_whole():
    from esafety.audit.models import AuditEvent

    _seed()
    school = School.objects.get(urn="999001")
    assert AuditEvent.objects.filter(school=school, action="pupil.created").count() == 20
    assert chain_breaks() == []


@pytest.mark.django_db
def test_it_refuses_to_seed_twice():
    _seed()
    with pytest.raises(CommandError):
        _seed()


@pytest.mark.django_db
def test_it_fills_the_dsl_dashboard_with_concerns_of_every_kind():
    from incidents.models import Concern, Status

    _seed()
    concerns = Concern.objects.all()
    assert concerns.count() >= 9
    assert concerns.filter(status=Status.REPORTED, immediate_risk=True).exists()
    statuses = set(concerns.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert len(set(concerns.values_list("category", flat=True))) >= 8
    assert chain_breaks() == []


@pytest.mark.django_db
def test_it_publishes_policies_and_aups_with_some_accepted_and_some_not():
    from policies.models import Acceptance, PolicyVersion
    from policies.selectors.figures import acceptance_figures

    _seed()
    school = School.objects.get(urn="999001")
    assert PolicyVersion.objects.filter(status="published").count() == 8
    kinds = set(Acceptance.objects.values_list("kind", flat=True))
    assert kinds == {"own", "cosign", "pupil", "visitor"}
    figures = acceptance_figures(school=school, with_names=False)
    shares = [a.percent for f in figures for a in f.audiences]
    assert any(0 < s < 100 for s in shares)  # e.g. half the staff have accepted their AUP


@pytest.mark.django_db
def test_it_seeds_a_small_demo_too():
    from incidents.models import Concern

    call_command("seed_demo", "--pupils", "3", stdout=io.StringIO())
    assert Concern.objects.count() >= 9
