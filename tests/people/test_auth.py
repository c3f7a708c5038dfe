"""Sign-in through allauth's own forms: password, lock-out, reset, MFA, idle timeout."""

import datetime
import re
import time
from urllib.parse import quote

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from esafety.people import services
from esafety.people.models import Role, User
from tests.factories import (
    PASSWORD,
    TEST_TOTP_SECRET,
    GuardianFactory,
    PupilFactory,
    UserFactory,
    enrol_totp,
)

LOGIN = "/accounts/login/"
WRONG = "not the password at all"
LOCKED = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts failed sign-ins in the cache; the suite's local-memory cache outlives a test.
    cache.clear()
    yield
    cache.clear()


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def signed_in_as(client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


def test_it_signs_in_with_email_and_password(personas, client):
    r = sign_in(client, "STAFF@oakfield.test")
    assert r.status_code == 302
    assert r.url == reverse("home")
    assert signed_in_as(client) == personas.staff


def test_it_refuses_a_wrong_password(personas, client):
    r = sign_in(client, personas.staff.email, WRONG)
    assert r.status_code == 200
    assert r.context["form"].errors
    assert signed_in_as(client) is None


def test_it_locks_an_email_after_five_failed_sign_ins(personas, client):
    for _ in range(5):
        r = sign_in(client, personas.staff.email, WRONG)
        assert LOCKED not in str(r.context["form"].errors)
    r = sign_in(client, personas.staff.email, PASSWORD)  # the right one, now refused
    assert r.status_code == 200
    assert LOCKED in str(r.context["form"].errors)
    assert signed_in_as(client) is None
    # Another person's email is not locked by it.
    assert sign_in(client, personas.office.email).status_code == 302


def test_it_unlocks_the_email_after_a_while(personas, client):
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as traveller:
        for _ in range(5):
            sign_in(client, personas.staff.email, WRONG)
        traveller.shift(datetime.timedelta(minutes=14))
        assert sign_in(client, personas.staff.email).status_code == 200  # still locked
        traveller.shift(datetime.timedelta(minutes=2))
        assert sign_in(client, personas.staff.email).status_code == 302


def _page_text(response, email: str) -> str:
    # The page echoes the email typed and carries a fresh CSRF token; the rest must be identical.
    text = response.content.decode()
    text = text.replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)


def test_it_answers_an_unknown_email_as_it_answers_a_wrong_password(personas, client):
    known = personas.staff.email
    unknown = "no-such-person@oakfield.test"
    for attempt in range(6):
        a = sign_in(client, known, WRONG)
        b = sign_in(client, unknown, WRONG)
        assert a.status_code == b.status_code == 200
        assert a.context["form"].errors == b.context["form"].errors, f"attempt {attempt + 1}"
        assert _page_text(a, known) == _page_text(b, unknown), f"attempt {attempt + 1}"
    assert LOCKED in str(a.context["form"].errors)


def test_it_emails_a_password_reset_link_without_child_data(personas, client, settings):
    pupil = PupilFactory(school=personas.school, first_name="Tilly", last_name="Quarrington")
    GuardianFactory(pupil=pupil, email=personas.parent.email, user=personas.parent)
    r = client.post(reverse("account_reset_password"), {"email": personas.parent.email})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [personas.parent.email]
    assert email.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    for text in (email.subject, email.body):
        assert "Tilly" not in text and "Quarrington" not in text
        assert pupil.mis_id not in text

    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", email.body).group(1)
    r = client.get(link)
    assert r.status_code == 302  # allauth moves the key out of the URL into the session
    form_url = r.url
    new_password = "a brand new long passphrase"
    r = client.post(form_url, {"password1": "short", "password2": "short"})
    assert r.status_code == 200 and r.context["form"].errors
    r = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert r.status_code == 302
    assert sign_in(client, personas.parent.email, new_password).status_code == 302
    assert signed_in_as(client) == personas.parent


def test_it_answers_a_reset_for_an_unknown_email_as_for_a_known_one(personas, client):
    known = client.post(reverse("account_reset_password"), {"email": personas.staff.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "who@oakfield.test"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url


@pytest.fixture
def open_invitation(personas):
    invitation, token = services.invitation_create(
        actor=personas.office, school=personas.school, email="new@oakfield.test", role=Role.STAFF
    )
    return invitation, f"/invitations/{token}/"


@pytest.mark.parametrize(
    "password",
    [
        "Sh0rt!pass",  # 10 characters
        "elevenchars",  # 11 characters
        "qwertyqwerty",  # 12 characters, but on the common-passwords list
        "123456789012",  # only digits (and common)
    ],
)
def test_it_refuses_a_short_or_common_password_on_acceptance(open_invitation, client, password):
    invitation, url = open_invitation
    r = client.post(url, {"full_name": "Nia New", "password1": password, "password2": password})
    assert r.status_code == 200
    assert "password1" in r.context["form"].errors
    assert not User.objects.filter(email=invitation.email).exists()


def test_it_accepts_a_twelve_character_uncommon_password(open_invitation, client):
    invitation, url = open_invitation
    password = "Tr4ck-b1rch-k"
    r = client.post(url, {"full_name": "Nia New", "password1": password, "password2": password})
    assert r.status_code == 302
    client.logout()
    assert sign_in(client, invitation.email, password).status_code == 302


@pytest.mark.parametrize("role", ["dsl", "deputy_dsl", "online_safety_lead", "head"])
def test_it_ends_a_privileged_session_after_thirty_idle_minutes(personas, client_for, role):
    school_home = reverse("people:school_home", args=[personas.school.code])
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as traveller:
        client = client_for(personas.for_role(role))
        assert client.get(school_home).status_code == 200
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get(school_home).status_code == 200  # activity restarts the clock
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get(school_home).status_code == 200
        traveller.shift(datetime.timedelta(minutes=31))
        r = client.get(school_home)
        assert r.status_code == 302
        assert r.url == f"{reverse('account_login')}?next={quote(school_home)}"
        assert signed_in_as(client) is None
        assert client.get(school_home).url.startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["staff", "office", "governor", "parent"])
def test_it_keeps_a_staff_session_through_idle_time(personas, client_for, role):
    school_home = reverse("people:school_home", args=[personas.school.code])
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as traveller:
        client = client_for(personas.for_role(role))
        assert client.get(school_home).status_code == 200
        traveller.shift(datetime.timedelta(hours=2))
        assert client.get(school_home).status_code == 200


def test_it_asks_a_privileged_user_for_the_totp_code(personas, client):
    r = sign_in(client, personas.dsl.email)
    assert r.status_code == 302
    assert r.url == reverse("mfa_authenticate")
    assert signed_in_as(client) is None  # the password alone signs nobody in
    r = client.get(reverse("people:school_home", args=[personas.school.code]))
    assert r.status_code == 302 and r.url.startswith(reverse("account_login"))

    r = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert r.status_code == 200 and r.context["form"].errors
    assert signed_in_as(client) is None

    r = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert r.status_code == 302
    assert signed_in_as(client) == personas.dsl
    r = client.get(reverse("people:school_home", args=[personas.school.code]))
    assert r.status_code == 200


def test_it_sends_a_dsl_without_mfa_to_set_up_and_lets_them_sign_out(personas, client):
    Authenticator.objects.filter(user=personas.dsl).delete()
    r = sign_in(client, personas.dsl.email)
    assert signed_in_as(client) == personas.dsl
    assert client.get(r.url).url == reverse("mfa_activate_totp")
    pupils = reverse("people:pupil_list", args=[personas.school.code])
    assert client.get(pupils).url == reverse("mfa_activate_totp")

    # allauth asks for the password again before a second factor is added.
    r = client.get(reverse("mfa_activate_totp"))
    assert r.url.startswith(reverse("account_reauthenticate"))
    r = client.post(r.url, {"password": PASSWORD})
    assert r.url == reverse("mfa_activate_totp")
    r = client.get(r.url)
    assert r.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    r = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert r.status_code == 302
    assert Authenticator.objects.filter(user=personas.dsl, type=Authenticator.Type.TOTP).exists()
    assert client.get(pupils).status_code == 200


def test_it_lets_a_dsl_without_mfa_sign_out(personas, client):
    Authenticator.objects.filter(user=personas.dsl).delete()
    sign_in(client, personas.dsl.email)
    assert client.get(reverse("account_logout")).status_code == 200
    r = client.post(reverse("account_logout"))
    assert r.status_code == 302
    assert signed_in_as(client) is None


def test_it_keeps_sign_up_closed(db, client):
    r = client.get(reverse("account_signup"))
    assert r.status_code == 200
    assert b"closed" in r.content.lower()
    r = client.post(
        reverse("account_signup"),
        {"email": "walk-in@example.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(email="walk-in@example.test").exists()


def test_it_sends_the_admin_sign_in_through_mfa(db, client):
    root = UserFactory(email="root@example.test", is_superuser=True, is_staff=True)
    enrol_totp(root)
    r = client.get(reverse("admin:login"))
    assert r.status_code == 302 and r.url.startswith(reverse("account_login"))
    # Posting the admin's own form with the right password signs nobody in.
    client.post(reverse("admin:login"), {"username": root.email, "password": PASSWORD})
    assert signed_in_as(client) is None
    assert client.get(reverse("admin:index")).status_code == 302
    r = sign_in(client, root.email)
    assert r.url == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert signed_in_as(client) == root
    assert client.get(reverse("admin:index")).status_code == 200


def test_it_keeps_the_email_the_school_knows(personas, client_for):
    # The roster links children to a parent by email, so nobody may swap in another address.
    client = client_for(personas.parent)
    r = client.post(reverse("account_email"), {"email": "someone@else.test", "action_add": ""})
    assert r.status_code == 200 and r.context["form"].errors
    client.post(reverse("account_email"), {"email": "someone@else.test", "action_primary": ""})
    personas.parent.refresh_from_db()
    assert personas.parent.email == "parent@oakfield.test"
    assert not EmailAddress.objects.filter(email="someone@else.test").exists()
