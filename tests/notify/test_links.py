"""Every link in an email is SITE_URL and a path made by reverse(), never written by hand.

`make run ESAFETY_PORT=8111` used to print links to port 8000; and a hand-written path goes on
pointing at a page after it is renamed. Each kind of email is checked with SITE_URL set to
another port, and its link must open the page it is about.
"""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.urls import resolve, reverse
from django.utils import timezone

from esafety.notify import services, tasks
from esafety.notify.digest import digest_send
from esafety.notify.models import Message
from esafety.people.models import Role
from incidents import services as incident_services
from incidents.models import PupilRole
from incidents.tasks import escalate_unacknowledged
from tests.factories import PupilFactory

BASE_DIR = Path(__file__).resolve().parents[2]
SITE = "http://localhost:8111"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def _sent_link(message: Message) -> str:
    assert tasks.send_message(message.pk)
    email = mail.outbox[-1]
    [url] = re.findall(r"^https?://\S+$", email.body, re.MULTILINE)
    assert url.startswith(f"{SITE}/"), url
    return url.removeprefix(SITE)


def test_it_refuses_a_link_that_is_not_a_page_of_the_site(personas):
    for link in ("/s/x/concerns/1/", "https://elsewhere.example/s/", "s/relative/"):
        with pytest.raises(ValueError, match="reverse"):
            services.message_queue(
                kind=Message.Kind.ALERT,
                school=personas.school,
                to_email="dsl@oakfield.test",
                subject="A concern needs your attention",
                body="Something needs your attention.",
                link=link,
            )
    assert not Message.objects.exists()


def test_an_alert_and_its_escalation_link_to_the_concern_on_the_sites_port(personas):
    pupil = PupilFactory(school=personas.school, first_name="Zephyrine", last_name="Quill")
    concern = incident_services.concern_log(
        actor=personas.staff,
        school=personas.school,
        category="cyberbullying",
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        location="Playground",
        what_happened="Unkind messages.",
        pupils=[incident_services.InvolvedPupil(pupil, PupilRole.AFFECTED)],
    )
    alert = Message.objects.get(to_email=personas.dsl.email)
    path = _sent_link(alert)
    match = resolve(path)
    assert match.view_name == "incidents:detail"
    assert match.kwargs == {"school": personas.school.code, "code": concern.code}

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=125), tick=False):
        escalate_unacknowledged()
    chair = Message.objects.get(to_email=personas.chair.email)
    assert resolve(_sent_link(chair)).view_name == "people:school_home"


def test_an_invitation_links_to_its_acceptance_page_on_the_sites_port(personas, client_for):
    r = client_for(personas.office).post(
        reverse("people:invitation_list", args=[personas.school.code]),
        {"email": "new.parent@example.org", "role": Role.PARENT},
    )
    assert r.status_code == 302
    path = _sent_link(Message.objects.get())
    assert resolve(path).view_name == "people:invitation_accept"
    assert client_for(None).get(path).status_code == 200


def test_create_school_prints_the_invitation_on_the_sites_port(db, capsys):
    call_command("create_school", name="Elmstead Primary", urn="123456", head_email="head@elm.test")
    out = capsys.readouterr().out
    [url] = re.findall(r"https?://\S+", out)
    assert url.startswith(f"{SITE}/invitations/")
    assert resolve(url.removeprefix(SITE)).view_name == "people:invitation_accept"
    assert url == SITE + Message.objects.get().link


def test_policy_reminders_link_to_the_policy_pages(personas):
    from policies import reminders
    from policies.models import ApprovedBy, Audience, Kind
    from policies.services.library import (
        policy_create,
        version_approve,
        version_create,
        version_publish,
    )

    policy = policy_create(
        actor=personas.online_safety_lead,
        school=personas.school,
        title="Staff AUP",
        kind=Kind.AUP,
        owner=personas.online_safety_lead,
        audiences=[Audience.STAFF],
        requires_acceptance=True,
    )
    version = version_create(
        actor=personas.online_safety_lead, policy=policy, number="1", body="Be kind online."
    )
    version_approve(
        actor=personas.head,
        version=version,
        approved_by_body=ApprovedBy.HEAD,
        approved_on=timezone.localdate(),
    )
    version_publish(actor=personas.online_safety_lead, version=version)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8), tick=False):
        assert reminders.send_acceptance_reminders(school=personas.school)
    reminder = Message.objects.filter(kind=Message.Kind.REMINDER).first()
    assert resolve(_sent_link(reminder)).view_name == "policies:accept"

    version.refresh_from_db()
    due = version.next_review_due
    with time_machine.travel(due - datetime.timedelta(days=10), tick=False):
        assert reminders.send_review_reminders(school=personas.school) == 1
    with time_machine.travel(due + datetime.timedelta(days=1), tick=False):
        assert digest_send(school=personas.school)
    review = Message.objects.get(subject__startswith="Review due")
    assert resolve(_sent_link(review)).view_name == "policies:policy_detail"
    digest = Message.objects.filter(kind=Message.Kind.DIGEST).first()
    # The daily digest links to the school's home; each line to its own page.
    assert resolve(_sent_link(digest)).view_name == "people:school_home"
    # Other apps add their own lines (training due, say); the review's line is among them.
    line_links = re.findall(r"(http://\S+)", digest.body)
    assert all(link.startswith(SITE) for link in line_links)
    views = [resolve(link.removeprefix(SITE)).view_name for link in line_links]
    assert "policies:library" in views


# A path written out in a string where a link or an address is made: `link=f"/s/..."`,
# `SITE_URL}/invitations/...`. reverse() is the only way links are made.
HAND_BUILT = re.compile(r"""(\blink\s*=\s*f?["']/|SITE_URL\s*\}\s*/|SITE_URL\s*\+\s*f?["']/)""")


def test_no_code_builds_an_email_link_by_hand():
    found = []
    # Every app of the project's own (the shared code included), as installed.
    tops = sorted(
        {
            Path(a.path).relative_to(BASE_DIR).parts[0]
            for a in apps.get_app_configs()
            if Path(a.path).is_relative_to(BASE_DIR)
        }
    )
    assert {"esafety", "incidents", "policies"} <= set(tops)
    for top in tops:
        for path in sorted((BASE_DIR / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if HAND_BUILT.search(line):
                    found.append(f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()}")
    assert found == []
