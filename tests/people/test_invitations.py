"""Invitations: who may invite whom, the email, accepting, parents linked to their children."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from esafety.audit.models import AuditEvent
from esafety.notify.models import Message
from esafety.notify.services import message_send
from esafety.people import services
from esafety.people.models import Guardian, Invitation, Membership, Role, User
from tests.factories import PASSWORD, GuardianFactory, PupilFactory

NEW_PASSWORD = "Tr4ck-b1rch-kettle"
PRIVILEGED = [Role.DSL, Role.DEPUTY_DSL, Role.ONLINE_SAFETY_LEAD, Role.HEAD]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def invitations_url(personas) -> str:
    return reverse("people:invitation_list", args=[personas.school.code])


def invite(personas, client_for, *, by, email: str, role: str):
    return client_for(by).post(invitations_url(personas), {"email": email, "role": role})


def create(personas, *, email: str, role: str = Role.STAFF, by=None) -> tuple[Invitation, str]:
    invitation, token = services.invitation_create(
        actor=by or personas.office, school=personas.school, email=email, role=role
    )
    return invitation, reverse("people:invitation_accept", args=[token])


def accept_as_new(client, url: str, name: str = "Nia New"):
    return client.post(
        url, {"full_name": name, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )


def signed_in_pk(client):
    return client.session.get(SESSION_KEY)


@pytest.mark.parametrize("role", [Role.STAFF, Role.PARENT])
def test_it_lets_the_office_invite_staff_and_parents(personas, client_for, role):
    r = invite(personas, client_for, by=personas.office, email="New@Oakfield.test", role=role)
    assert r.status_code == 302
    invitation = Invitation.objects.get(school=personas.school)
    assert (invitation.email, invitation.role) == ("new@oakfield.test", role)
    assert invitation.invited_by == personas.office
    assert invitation.is_open
    assert AuditEvent.objects.filter(
        action="invitation.created", object_code=str(invitation.code), actor=personas.office
    ).exists()


@pytest.mark.parametrize("role", [*PRIVILEGED, Role.OFFICE, Role.GOVERNOR])
def test_it_refuses_the_office_any_other_role(personas, client_for, role):
    r = invite(personas, client_for, by=personas.office, email="new@oakfield.test", role=role)
    assert r.status_code == 200
    assert "role" in r.context["form"].errors
    assert not Invitation.objects.exists()
    assert not Message.objects.exists()


def test_it_offers_the_office_only_the_roles_it_may_invite(personas, client_for):
    r = client_for(personas.office).get(invitations_url(personas))
    offered = {value for value, _label in r.context["form"].fields["role"].choices}
    assert offered == {Role.STAFF, Role.PARENT}


@pytest.mark.parametrize("role", list(Role))
def test_it_lets_the_head_invite_any_role(personas, client_for, role):
    r = invite(personas, client_for, by=personas.head, email="new@oakfield.test", role=role)
    assert r.status_code == 302
    assert Invitation.objects.get(school=personas.school).role == role


def test_it_emails_the_link_and_no_child_name(personas, client_for):
    pupil = PupilFactory(school=personas.school, first_name="Tilly", last_name="Quarrington")
    GuardianFactory(pupil=pupil, email="mum@home.test")
    invite(personas, client_for, by=personas.office, email="mum@home.test", role=Role.PARENT)

    message = Message.objects.get(kind=Message.Kind.INVITATION)
    assert message.to_email == "mum@home.test"
    assert message.school == personas.school
    assert message.link.startswith("/invitations/")
    assert message_send(message_id=message.pk)
    (email,) = mail.outbox
    assert email.to == ["mum@home.test"]
    link = re.search(r"https?://\S+(/invitations/[^/\s]+/)", email.body).group(1)
    assert link == message.link
    for text in (email.subject, email.body):
        assert "Tilly" not in text and "Quarrington" not in text and pupil.mis_id not in text
    # The link works, and only its hash is stored.
    assert client_for(None).get(link).status_code == 200
    token = link.split("/")[2]
    assert token not in Invitation.objects.get().token_hash


def test_it_creates_the_account_and_signs_the_new_user_in(personas, client_for):
    invitation, url = create(personas, email="new@oakfield.test", role=Role.STAFF)
    client = client_for(None)
    assert client.get(url).status_code == 200
    r = accept_as_new(client, url)
    assert r.status_code == 302
    assert r.url == reverse("people:school_home", args=[personas.school.code])
    user = User.objects.get(email="new@oakfield.test")
    assert user.full_name == "Nia New"
    assert user.check_password(NEW_PASSWORD)
    assert signed_in_pk(client) == str(user.pk)
    assert list(Membership.objects.filter(user=user).values_list("school", "role")) == [
        (personas.school.pk, Role.STAFF)
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and not invitation.is_open
    assert client.get(r.url).status_code == 200
    actions = set(AuditEvent.objects.filter(actor=user).values_list("action", flat=True)) | set(
        AuditEvent.objects.filter(object_code=str(user.code)).values_list("action", flat=True)
    )
    assert {"user.created", "membership.added", "invitation.accepted"} <= actions


def test_it_refuses_mismatched_passwords_and_creates_nobody(personas, client_for):
    invitation, url = create(personas, email="new@oakfield.test")
    r = client_for(None).post(
        url, {"full_name": "Nia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    assert r.status_code == 200 and "password2" in r.context["form"].errors
    assert not User.objects.filter(email=invitation.email).exists()


def test_it_links_a_parent_to_exactly_their_children_at_this_school(personas, client_for):
    first = PupilFactory(school=personas.school)
    second = PupilFactory(school=personas.school)
    not_theirs = PupilFactory(school=personas.school)
    elsewhere = PupilFactory(school=personas.other_school)
    GuardianFactory(pupil=first, email="mum@home.test")
    # The roster may keep an email as the MIS typed it.
    GuardianFactory(pupil=second, email="Mum@Home.test")
    GuardianFactory(pupil=not_theirs, email="someone-else@home.test")
    GuardianFactory(pupil=elsewhere, email="mum@home.test")
    _invitation, url = create(personas, email="mum@home.test", role=Role.PARENT)

    accept_as_new(client_for(None), url, name="Mo Mum")

    mum = User.objects.get(email="mum@home.test")
    assert set(Guardian.objects.filter(user=mum).values_list("pupil", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert Guardian.objects.get(pupil=elsewhere).user is None
    event = AuditEvent.objects.get(action="invitation.accepted")
    assert event.summary == "linked to 2 pupil(s)"
    r = client_for(mum).get(reverse("people:school_home", args=[personas.school.code]))
    assert set(r.context["children"]) == {first, second}


def test_it_links_an_existing_parent_account_too(personas, client_for):
    pupil = PupilFactory(school=personas.school)
    GuardianFactory(pupil=pupil, email=personas.staff.email)  # a member of staff and a parent
    _invitation, url = create(personas, email=personas.staff.email, role=Role.PARENT)
    r = client_for(personas.staff).post(url)
    assert r.status_code == 302
    assert Guardian.objects.get(pupil=pupil).user == personas.staff
    assert set(Membership.objects.filter(user=personas.staff).values_list("role", flat=True)) == {
        Role.STAFF,
        Role.PARENT,
    }


def test_it_asks_an_existing_account_to_sign_in_first(personas, client_for):
    invitation, url = create(personas, email=personas.other_dsl.email, role=Role.STAFF)
    client = client_for(None)
    r = client.get(url)
    assert r.status_code == 302
    assert r.url == f"{reverse('account_login')}?next={url}"
    r = accept_as_new(client, url)  # nor can a stranger set a password on that account
    assert r.status_code == 302 and r.url.startswith(reverse("account_login"))
    personas.other_dsl.refresh_from_db()
    assert personas.other_dsl.check_password(PASSWORD)
    assert signed_in_pk(client) is None
    invitation.refresh_from_db()
    assert invitation.is_open

    r = client_for(personas.other_dsl).post(url)
    assert r.status_code == 302
    assert Membership.objects.filter(
        user=personas.other_dsl, school=personas.school, role=Role.STAFF
    ).exists()


def test_it_refuses_a_signed_in_user_with_another_email(personas, client_for):
    invitation, url = create(personas, email="someone@oakfield.test", role=Role.STAFF)
    client = client_for(personas.parent)
    r = client.get(url)
    assert r.status_code == 200
    assert b"different email" in r.content
    assert b"Accept invitation" not in r.content
    client.post(url)
    assert not Membership.objects.filter(user=personas.parent, role=Role.STAFF).exists()
    invitation.refresh_from_db()
    assert invitation.is_open
    # The page's sign-out button comes back to the invitation, now signed out.
    r = client.post(reverse("account_logout"), {"next": url})
    assert r.url == url
    assert b"Accept invitation" in client.get(url).content


def _closed(client, url: str) -> None:
    for response in (client.get(url), accept_as_new(client, url)):
        assert response.status_code == 404
        assert b"This invitation cannot be used" in response.content


def test_it_shows_the_closed_page_for_an_expired_link(personas, client_for):
    invitation, url = create(personas, email="late@oakfield.test")
    with time_machine.travel(invitation.expires_at + datetime.timedelta(seconds=1)):
        _closed(client_for(None), url)
    assert not User.objects.filter(email="late@oakfield.test").exists()


def test_it_shows_the_closed_page_for_a_withdrawn_link(personas, client_for):
    invitation, url = create(personas, email="gone@oakfield.test")
    services.invitation_revoke(actor=personas.office, invitation=invitation)
    _closed(client_for(None), url)
    assert not User.objects.filter(email="gone@oakfield.test").exists()


def test_it_shows_the_closed_page_for_a_used_link(personas, client_for):
    _invitation, url = create(personas, email="once@oakfield.test")
    client = client_for(None)
    accept_as_new(client, url)
    client.logout()
    _closed(client, url)
    assert User.objects.filter(email="once@oakfield.test").count() == 1


def test_it_shows_the_closed_page_for_an_unknown_token(personas, client_for):
    _closed(client_for(None), reverse("people:invitation_accept", args=["made-up"]))


def test_it_withdraws_an_invitation(personas, client_for):
    invitation, url = create(personas, email="gone@oakfield.test")
    revoke = reverse("people:invitation_revoke", args=[personas.school.code, invitation.code])
    r = client_for(personas.office).post(revoke)
    assert r.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(
        action="invitation.revoked", object_code=str(invitation.code), actor=personas.office
    ).exists()
    assert client_for(None).get(url).status_code == 404


def test_it_does_not_withdraw_an_accepted_invitation(personas, client_for):
    invitation, url = create(personas, email="once@oakfield.test")
    accept_as_new(client_for(None), url)
    revoke = reverse("people:invitation_revoke", args=[personas.school.code, invitation.code])
    client_for(personas.office).post(revoke)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert not AuditEvent.objects.filter(action="invitation.revoked").exists()


def test_it_lists_the_schools_invitations_only(personas, client_for):
    create(personas, email="here@oakfield.test")
    services.invitation_create(
        actor=personas.other_dsl,
        school=personas.other_school,
        email="there@birchwood.test",
        role=Role.STAFF,
    )
    r = client_for(personas.office).get(invitations_url(personas))
    assert b"here@oakfield.test" in r.content
    assert b"there@birchwood.test" not in r.content
