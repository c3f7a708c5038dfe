"""A trust lead sees the trust's schools side by side and in total, figures only, with a second
factor; no other trust, and suppression that holds across the schools and the total."""

import time

import pytest
import time_machine
from django.urls import reverse

from esafety.audit.models import AuditEvent
from esafety.reports.models import Trust, TrustLead
from incidents import services
from incidents.models import PupilRole
from tests.factories import PupilFactory, SchoolFactory, UserFactory, enrol_totp
from tests.reports.attacker import recovered
from tests.reports.conftest import NAMES, at

NOW = at(2026, 11, 20)


@pytest.fixture
def trust(personas):
    ashgrove = SchoolFactory(name="Ashgrove Primary", urn="100003")
    trust = Trust.objects.create(name="Riverside Learning Trust")
    trust.schools.set([personas.school, ashgrove])
    other = Trust.objects.create(name="Hilltop Trust")
    other.schools.set([personas.other_school])
    return trust


@pytest.fixture
def lead(trust):
    user = UserFactory(email="lead@riverside.test", full_name="Tess Trustlead")
    TrustLead.objects.create(trust=trust, user=user)
    enrol_totp(user)
    return user


def signed_in_with_code(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time()},
        {"method": "mfa", "type": "totp", "at": time.time()},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def log(school, category, when, n, staff, first_name="Zephyrine"):
    pupil = PupilFactory(school=school, first_name=first_name, last_name="Quarterbridge")
    for i in range(n):
        with time_machine.travel(when.replace(minute=i), tick=False):
            services.concern_log(
                actor=staff,
                school=school,
                category=category,
                occurred_at=when,
                location="Playground",
                what_happened=f"{first_name} was sent unkind messages.",
                pupils=[services.InvolvedPupil(pupil, PupilRole.AFFECTED)],
            )


def staff_of(school):
    from esafety.people.models import Membership, Role

    user = UserFactory(email=f"staff@{school.urn}.test", full_name="Ola Member")
    Membership.objects.create(user=user, school=school, role=Role.STAFF)
    return user


def test_a_trust_lead_sees_each_school_and_the_total_suppressed_as_one(
    personas, trust, lead, client
):
    ashgrove = trust.schools.get(name="Ashgrove Primary")
    # One nudes concern at Oakfield, six at Ashgrove: the trust's 7 less Ashgrove's 6 would
    # give Oakfield's one back, so more is hidden.
    log(personas.school, "nudes", at(2026, 9, 8), 1, personas.staff)
    log(personas.school, "cyberbullying", at(2026, 9, 9), 8, personas.staff)
    log(ashgrove, "nudes", at(2026, 10, 8), 6, staff_of(ashgrove), first_name="Ottoline")
    log(personas.other_school, "misuse", at(2026, 10, 8), 9, personas.other_dsl)

    with time_machine.travel(NOW, tick=False):
        response = signed_in_with_code(client, lead).get(
            reverse("reports:trust", args=[trust.code])
        )
    assert response.status_code == 200
    report = response.context["report"]
    assert report.schools == ("Ashgrove Primary", "Oakfield Primary")
    sec = next(s for s in report.sections if s.key == "incidents.concerns")
    by_kind = next(t for t in sec.tables if t.key == "by_kind")
    nudes = next(r for r in by_kind.rows if r.label == "Sharing nudes or semi-nudes")
    ashgrove_cell, oakfield_cell, trust_cell = (c[0].text for c in nudes.cells)
    assert oakfield_cell == "fewer than 5"
    assert "withheld" in (ashgrove_cell, trust_cell)
    s = sec.suppression
    shown = {k: v for k, v in s.values.items() if k not in s.hidden}
    assert recovered(shown=shown, hidden=s.hidden, relations=s.relations, threshold=4) == {}
    html = response.content.decode()
    assert "Birchwood" not in html  # another trust's school
    for name in (*NAMES, "Ola Member", personas.staff.full_name):
        assert name not in html


def test_the_trust_pdf_is_audited_and_names_nobody(personas, trust, lead, client, tmp_path):
    import subprocess

    log(personas.school, "cyberbullying", at(2026, 9, 9), 6, personas.staff)
    with time_machine.travel(NOW, tick=False):
        response = signed_in_with_code(client, lead).get(
            reverse("reports:trust_pdf", args=[trust.code])
        )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "trust.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Riverside Learning Trust" in text and "OFFICIAL-SENSITIVE" in text
    assert "Ashgrove Primary" in text and "Oakfield Primary" in text
    for name in NAMES:
        assert name not in text
    assert AuditEvent.objects.filter(action="reports.trust_pdf_downloaded", actor=lead).count() == 1


def test_another_trust_and_people_who_lead_none_get_404(personas, trust, lead, client):
    other = Trust.objects.get(name="Hilltop Trust")
    lead_client = signed_in_with_code(client, lead)
    assert lead_client.get(reverse("reports:trust", args=[other.code])).status_code == 404
    for user in (personas.head, personas.governor):
        c = signed_in_with_code(type(client)(), user)
        assert c.get(reverse("reports:trust", args=[trust.code])).status_code == 404


def test_a_trust_lead_needs_a_second_factor(trust, client):
    user = UserFactory(email="new-lead@riverside.test")
    TrustLead.objects.create(trust=trust, user=user)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = reverse("reports:trust", args=[trust.code])
    assert client.get(page)["Location"] == reverse("mfa_activate_totp")
    enrol_totp(user)
    # Enrolled, but this session was signed in with a password only.
    assert client.get(page)["Location"] == reverse("mfa_reauthenticate")
    assert signed_in_with_code(client, user).get(page).status_code == 200


def test_the_trust_page_queries_do_not_grow_with_the_data(personas, trust, lead, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = signed_in_with_code(client, lead)
    url = reverse("reports:trust", args=[trust.code])
    log(personas.school, "cyberbullying", at(2026, 9, 9), 1, personas.staff)

    def count() -> int:
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx)

    count()  # the first request of a session also writes the session
    small = count()
    ashgrove = trust.schools.get(name="Ashgrove Primary")
    log(ashgrove, "nudes", at(2026, 10, 8), 9, staff_of(ashgrove))
    log(personas.school, "misuse", at(2026, 11, 2), 7, personas.staff)
    assert count() == small


def test_a_trust_lead_is_signed_out_when_idle(trust, lead, client, settings):
    # A trust lead may hold no school membership, so the shared idle sign-out (which follows
    # what a member can open at a school) would not see them: the trust pages apply it.
    import time

    import time_machine

    page = reverse("reports:trust", args=[trust.code])
    lead_client = signed_in_with_code(client, lead)
    assert lead_client.get(page).status_code == 200
    later = time.time() + settings.ESAFETY_PRIVILEGED_IDLE_MINUTES * 60 + 5
    with time_machine.travel(later, tick=False):
        response = lead_client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert lead_client.get(page).status_code == 302  # signed out, not just redirected once
