import pytest
from django.core import mail
from django.urls import reverse

from esafety.notify import services, tasks
from esafety.notify.models import Message
from esafety.people.models import Role
from tests.factories import PupilFactory
from tests.notify.helpers import assert_no_pupil_names_in_outbox

# A page of the site, as every message's link is: made by reverse(), never by hand.
SCHOOL = "5c0c8a2e-4a35-4f0e-8d83-3b2f8f8e9c11"
CONCERN = "0b5a2d1c-7a1e-4c8e-9b61-1d9f0b6a2e47"
LINK = f"/s/{SCHOOL}/concerns/{CONCERN}/"

FOOTER = (
    "Sign in to esafety to see the details. This email deliberately says no more: safeguarding\n"
    "information stays inside the system.\n\n"
)


@pytest.fixture
def pupils(personas):
    # Pupils whose names the emails must never carry.
    return [
        PupilFactory(school=personas.school, first_name="Amelia", last_name="Quigley"),
        PupilFactory(school=personas.school, first_name="Rory", last_name="Oyelaran"),
    ]


def test_it_says_only_what_it_was_given_in_an_alert(personas, pupils, settings):
    settings.SITE_URL = "https://esafety.example.org"
    message = services.message_queue(
        kind=Message.Kind.ALERT,
        school=personas.school,
        recipient=personas.dsl,
        subject="A concern needs your attention",
        body="A member of staff has recorded a concern at Oakfield Primary.",
        link=LINK,
    )
    assert tasks.send_message(message.pk)
    [email] = mail.outbox
    assert email.to == ["dsl@oakfield.test"]
    assert email.subject == "[esafety] A concern needs your attention"
    assert email.body == (
        "A member of staff has recorded a concern at Oakfield Primary.\n\n"
        f"https://esafety.example.org{LINK}\n\n" + FOOTER
    )
    assert email.alternatives == []  # no HTML part that could say more
    assert email.attachments == []
    assert assert_no_pupil_names_in_outbox(personas.school) == 2


def test_it_says_only_what_it_was_given_in_an_invitation(personas, pupils, client_for, settings):
    settings.SITE_URL = "https://esafety.example.org"
    # The office invites a parent of those pupils: the email must not say whose parent.
    r = client_for(personas.office).post(
        reverse("people:invitation_list", args=[personas.school.code]),
        {"email": "new.parent@example.org", "role": Role.PARENT},
    )
    assert r.status_code == 302
    message = Message.objects.get()
    assert tasks.send_message(message.pk)
    [email] = mail.outbox
    assert email.to == ["new.parent@example.org"]
    assert email.subject == "[esafety] You are invited to esafety for Oakfield Primary"
    link = f"https://esafety.example.org{message.link}"
    assert message.link.startswith("/invitations/")
    assert email.body == f"{message.body}\n\n{link}\n\n{FOOTER}"
    assert message.body == (
        "Ola Office has invited you to use esafety at Oakfield Primary as parent or carer. "
        "The link below works for 14 days."
    )
    assert assert_no_pupil_names_in_outbox(personas.school) == 2


def test_it_refuses_a_message_that_names_a_pupil(personas, pupils):
    with pytest.raises(services.UnsafeMessageError):
        services.message_queue(
            kind=Message.Kind.ALERT,
            school=personas.school,
            to_email="dsl@oakfield.test",
            subject="Concern about AMELIA quigley",
            body="Please look.",
        )
    assert Message.objects.count() == 0


def test_it_checks_alerts_against_the_pupils_they_are_about_when_the_caller_gives_them(
    personas, pupils, settings
):
    # A new concern's alerts are checked against the concern's own pupils, in Python: the same
    # refusal in development, the same redaction in production.
    amelia = pupils[0]
    email = services.Email(
        recipient=personas.dsl, subject="Concern about amelia QUIGLEY", body="Look.", link=LINK
    )
    with pytest.raises(services.UnsafeMessageError):
        services.messages_queue(
            kind=Message.Kind.ALERT, school=personas.school, emails=[email], about_pupils=[amelia]
        )
    assert Message.objects.count() == 0
    settings.DEBUG = False
    settings.TESTING = False
    services.messages_queue(
        kind=Message.Kind.ALERT, school=personas.school, emails=[email], about_pupils=[amelia]
    )
    message = Message.objects.get()
    assert (message.subject, message.body) == (services.REDACTED_SUBJECT, services.REDACTED_BODY)


def test_it_sends_a_message_naming_a_pupil_without_its_text_in_production(
    personas, pupils, settings, caplog
):
    settings.DEBUG = False
    settings.TESTING = False
    message = services.message_queue(
        kind=Message.Kind.ALERT,
        school=personas.school,
        to_email="dsl@oakfield.test",
        subject="Concern",
        body="Rory Oyelaran was seen crying after the e-safety lesson.",
        link=LINK,
    )
    assert message.subject == services.REDACTED_SUBJECT
    assert message.body == services.REDACTED_BODY
    assert message.link == LINK  # the alert still reaches the DSL
    assert "Oyelaran" not in caplog.text
    assert "named a pupil" in caplog.text
    tasks.send_message(message.pk)
    assert assert_no_pupil_names_in_outbox(personas.school) == 2


def test_it_does_not_mistake_a_pupil_of_another_school(personas, pupils):
    PupilFactory(school=personas.other_school, first_name="Hal", last_name="Head")
    # "Hal Head" is Oakfield's head and, here, also a child at Birchwood: not Oakfield's concern.
    services.message_queue(
        kind=Message.Kind.INVITATION,
        school=personas.school,
        to_email="x@example.org",
        subject="Invitation",
        body="Hal Head has invited you.",
    )
    assert Message.objects.count() == 1


def test_it_refuses_a_narrative(personas):
    with pytest.raises(services.UnsafeMessageError, match="narrative"):
        services.message_queue(
            kind=Message.Kind.ALERT,
            school=personas.school,
            to_email="dsl@oakfield.test",
            subject="Concern",
            body="What happened: " + "x" * 1000,
        )


def test_the_outbox_check_catches_a_leak(personas, pupils):
    # The helper itself must be able to fail, or every test using it proves nothing.
    mail.send_mail("Hello", "About Amelia today", "a@example.org", ["b@example.org"])
    with pytest.raises(AssertionError, match="Amelia"):
        assert_no_pupil_names_in_outbox(personas.school)
