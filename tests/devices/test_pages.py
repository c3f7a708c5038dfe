"""The devices pages: who sees an evidence device (the DSL who may open its concern, nobody
else, never the accused), the concern page's panel, the forms, and constant query counts."""

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devices.models import Device, HandIn
from devices.services import desk, searches
from esafety.audit.selectors import audit_events_for_school
from esafety.people.access import school_access
from esafety.people.models import Role, SchoolClass
from tests.conftest import make_member
from tests.devices.conftest import log_concern
from tests.factories import PupilFactory


def url(name, personas, *args):
    return reverse(f"devices:{name}", args=[personas.school.code, *args])


def test_the_dsl_quarantines_a_device_from_the_concern_page(personas, client_for):
    concern = log_concern(personas)
    page = reverse("incidents:detail", args=[personas.school.code, concern.code])
    client = client_for(personas.dsl)
    response = client.get(page)
    assert b'data-testid="evidence-panel"' in response.content
    token = response.context["panels"][0][1]["form"].initial["link"]
    data = {
        "evidence-link": token,
        "evidence-kind": "phone",
        "evidence-description": "White phone",
        "evidence-sealed_bag": "EB-9",
        "evidence-held_at": "DSL cabinet",
        "evidence-reason": "May hold an image",
    }
    response = client.post(url("evidence_new", personas), {**data, "evidence-sealed_bag": ""})
    assert response.status_code == 200 and not Device.objects.exists()
    assert b"sealed" in response.content.lower()
    response = client.post(url("evidence_new", personas), data)
    device = Device.objects.get()
    assert response.url == url("device", personas, device.code)
    assert device.concern_code == concern.code and device.is_evidence
    detail = client.get(response.url)
    assert b"Do not switch it on" in detail.content
    assert b"EB-9" in client.get(page).content


@pytest.mark.parametrize("role", ["deputy_dsl", "head", "online_safety_lead"])
def test_no_one_but_the_dsl_sees_the_panel_or_the_device(personas, client_for, quarantine, role):
    concern = log_concern(personas, category="filtering_breach")
    device = quarantine(concern)
    client = client_for(personas.for_role(role))
    page = client.get(reverse("incidents:detail", args=[personas.school.code, concern.code]))
    assert page.status_code == 200
    assert b"evidence-panel" not in page.content and b"EB-1" not in page.content
    assert client.get(url("device", personas, device.code)).status_code == 404
    assert client.get(url("custody_pdf", personas, device.code)).status_code == 404
    assert b"EB-1" not in client.get(url("held", personas)).content


def test_the_office_cannot_open_or_release_an_evidence_device(personas, client_for, quarantine):
    device = quarantine()
    client = client_for(personas.office)
    assert client.get(url("release", personas, device.code)).status_code == 404
    assert client.post(url("move", personas, device.code), {"place": "Bin"}).status_code == 404
    assert Device.objects.get().held


def test_an_accused_dsl_never_learns_of_an_evidence_device(personas, client_for, quarantine):
    accused = make_member(personas.school, Role.DSL, "dsl2@oakfield.test", "Drew Second")
    allegation = log_concern(personas, category="staff_conduct", staff=[accused])
    device = quarantine(allegation)
    client = client_for(accused)
    assert client.get(url("device", personas, device.code)).status_code == 404
    held = client.get(url("held", personas))
    assert b"EB-1" not in held.content and b"Held as evidence (0)" in held.content
    home = client.get(reverse("people:school_home", args=[personas.school.code]))
    assert b"none held as evidence" in home.content
    dashboard = client.get(reverse("incidents:dashboard", args=[personas.school.code]))
    assert b"No device is held as evidence." in dashboard.content
    access = school_access(accused, personas.school.code)
    codes = set(audit_events_for_school(access=access).values_list("object_code", flat=True))
    assert str(device.code) not in codes
    # The DSL who may open the allegation sees it, and its events.
    dsl = school_access(personas.dsl, personas.school.code)
    assert str(device.code) in set(
        audit_events_for_school(access=dsl).values_list("object_code", flat=True)
    )
    assert (
        b"1 held as evidence"
        in client_for(personas.dsl)
        .get(reverse("people:school_home", args=[personas.school.code]))
        .content
    )
    # And on the DSL's dashboard, beside what waits on outside agencies.
    dashboard = client_for(personas.dsl).get(
        reverse("incidents:dashboard", args=[personas.school.code])
    )
    assert b"1 device held as evidence" in dashboard.content
    from devices.selectors.held import evidence_held_count

    for who, expected in ((access, 0), (dsl, 1)):
        assert evidence_held_count(who) == expected
    # The head works concerns too, but evidence devices are the DSL's: no section for them.
    head = client_for(personas.head).get(
        reverse("incidents:dashboard", args=[personas.school.code])
    )
    assert b"h-evidence-devices" not in head.content


def test_the_office_checks_in_and_hands_back_at_the_desk(personas, client_for, grant):
    pupil = grant(pupil=PupilFactory(school=personas.school, first_name="Ivy")).pupil
    client = client_for(personas.office)
    page = client.get(url("desk", personas), {"q": "Ivy"})
    assert b"Check in" in page.content and page.context["desk"].expected == 1
    response = client.post(url("check_in", personas, pupil.code), {"condition": "", "q": "Ivy"})
    assert response.url == url("desk", personas) + "?q=Ivy"
    assert HandIn.objects.get().returned_at is None
    client.post(url("hand_back", personas, pupil.code))
    assert HandIn.objects.get().returned_at is not None
    other = PupilFactory(school=personas.school)
    response = client.post(url("check_in", personas, other.code), follow=True)
    assert b"breach" in response.content and HandIn.objects.count() == 1


def test_the_confiscation_form_warns_about_a_medical_phone(personas, client_for, grant):
    pupil = grant(reason="medical").pupil
    client = client_for(personas.staff)
    data = {
        "pupil": pupil.code,
        "kind": "phone",
        "description": "Phone",
        "reason": "In lesson",
        "held_at": "Office safe",
        "condition": "",
    }
    response = client.post(url("confiscate", personas), data)
    assert response.status_code == 200 and b"medical need" in response.content
    assert not Device.objects.exists()
    response = client.post(url("confiscate", personas), {**data, "medical_confirmed": "on"})
    assert response.status_code == 302 and Device.objects.count() == 1


TAGS = itertools.count()


def _fill(personas, grant, confiscated, n):
    from devices.services import equipment

    for i in range(n):
        item = equipment.equipment_add(
            actor=personas.office,
            school=personas.school,
            asset_tag=f"T-{next(TAGS)}",
            kind="camera",
            description="",
            encrypted=False,
        )
        if i % 2:
            equipment.equipment_check_out(actor=personas.office, item=item, member=personas.head)
        pupil = grant().pupil
        if i % 2:
            desk.phone_check_in(actor=personas.office, pupil=pupil)
        confiscated()
        searches.search_record(
            actor=personas.head,
            pupil=pupil,
            of="pupil",
            authorised_by=personas.head,
            searched_by=personas.staff,
            witnessed_by=personas.office,
            reason="A vape",
            found="",
        )


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "role,name",
    [
        ("office", "desk"),
        ("office", "exceptions"),
        ("dsl", "held"),
        ("head", "searches"),
        ("office", "equipment"),
    ],
)
def test_pages_issue_the_same_queries_at_two_sizes(
    personas, client_for, grant, confiscated, quarantine, role, name
):
    client = client_for(personas.for_role(role))
    _fill(personas, grant, confiscated, 2)
    quarantine()
    client.get(url(name, personas))  # the school's settings are made on first use
    small = _count(client, url(name, personas))
    _fill(personas, grant, confiscated, 12)
    quarantine(bag="EB-2")
    assert _count(client, url(name, personas)) == small


def test_the_devices_held_page_asks_the_same_queries_with_or_without_evidence(
    personas, client_for, confiscated, quarantine, guardian_of, django_assert_num_queries
):
    """At a school holding nothing, then at one holding confiscations and evidence, held,
    released and with the police: the evidence rule is asked inside the device queries, once a
    page, so no query is skipped for an empty list of evidence and none repeats for each list.
    The accused DSL's page asks the same."""
    from devices.services import custody, evidence

    accused = make_member(personas.school, Role.DSL, "dsl2@oakfield.test", "Drew Second")
    page = url("held", personas)
    for who in (personas.dsl, accused):
        client = client_for(who)
        client.get(page)  # a new session's first request, and the school's settings, write
        with django_assert_num_queries(9):
            assert client.get(page).status_code == 200
    for n in range(12):
        device = confiscated()
        if n % 3 == 0:
            custody.device_release(
                actor=personas.office,
                device=device,
                guardian=guardian_of(device.pupil),
                other_name="",
                other_reason="",
                signature="Casey Carer",
            )
    allegation = log_concern(personas, category="staff_conduct", staff=[accused])
    for n in range(4):
        device = quarantine(allegation if n % 2 else None, bag=f"EB-{n}")
        if n == 0:
            evidence.evidence_to_police(
                actor=personas.dsl, device=device, reference="CAD 1", officer="PC 1"
            )
    # The accused DSL knows only of the device held for the other pupil's concern.
    for who, evidence_held in ((personas.dsl, b"(3)"), (accused, b"(1)")):
        client = client_for(who)
        client.get(page)
        with django_assert_num_queries(9):
            response = client.get(page)
        assert b"Held as evidence " + evidence_held in response.content
        assert (b"Sealed bag EB-1" in response.content) == (who == personas.dsl)
        assert b"Confiscated (8)" in response.content


def test_the_home_page_counts_with_the_same_queries_at_two_sizes(
    personas, client_for, grant, confiscated, quarantine
):
    home = reverse("people:school_home", args=[personas.school.code])
    client = client_for(personas.office)
    _fill(personas, grant, confiscated, 2)
    client.get(home)
    small = _count(client, home)
    _fill(personas, grant, confiscated, 10)
    assert _count(client, home) == small
    assert b"review" in client.get(home).content


def test_reviews_due_show_on_the_offices_home(personas, client_for, grant):
    today = datetime.date.today()
    grant(review_due=today + datetime.timedelta(days=3))
    home = client_for(personas.office).get(
        reverse("people:school_home", args=[personas.school.code])
    )
    assert b"1 review due" in home.content


def test_the_office_sets_the_end_of_day_and_the_days_held(personas, client_for):
    from devices.models import DeviceSettings

    client = client_for(personas.office)
    response = client.post(url("settings", personas), {"end_of_day": "14:45", "held_days": "0"})
    assert response.status_code == 200 and not DeviceSettings.objects.filter(held_days=0).exists()
    response = client.post(url("settings", personas), {"end_of_day": "14:45", "held_days": "3"})
    assert response.status_code == 302
    saved = DeviceSettings.objects.get(school=personas.school)
    assert (saved.end_of_day, saved.held_days) == (datetime.time(14, 45), 3)


def test_opening_an_evidence_device_is_audited(personas, client_for, quarantine):
    from esafety.audit.models import AuditEvent

    device = quarantine()
    client_for(personas.dsl).get(url("device", personas, device.code))
    event = AuditEvent.objects.get(action="evidence.viewed")
    assert (event.actor, event.object_code) == (personas.dsl, str(device.code))


def test_a_confiscated_phone_is_released_to_a_guardian_who_signs(
    personas, client_for, confiscated, guardian_of
):
    device = confiscated()
    guardian = guardian_of(device.pupil)
    client = client_for(personas.office)
    page = client.get(url("release", personas, device.code))
    assert b"Casey Carer" in page.content
    response = client.post(
        url("release", personas, device.code), {"to": str(guardian.code), "signature": ""}
    )
    assert response.status_code == 200 and Device.objects.get().held
    response = client.post(
        url("release", personas, device.code), {"to": "other", "signature": "Al"}
    )
    assert b"name the adult" in response.content and Device.objects.get().held
    response = client.post(
        url("release", personas, device.code),
        {"to": str(guardian.code), "signature": "Casey Carer"},
    )
    assert response.status_code == 302
    detail = client.get(response.url)
    assert b"Released" in detail.content and b"signed: Casey Carer" in detail.content


def test_a_devices_page_issues_the_same_queries_whatever_its_chain(
    personas, client_for, confiscated
):
    from devices.services import custody

    device = confiscated()
    client = client_for(personas.staff)
    small = _count(client, url("device", personas, device.code))
    for n in range(10):
        custody.device_move(actor=personas.office, device=device, place=f"Drawer {n}")
    assert _count(client, url("device", personas, device.code)) == small


def _names(content: bytes) -> list[str]:
    return re.findall(r"<strong>([^<]+)</strong>", content.decode())


def test_the_desk_shows_a_page_of_pupils_by_name_and_keeps_the_page_and_search(
    personas, client_for, grant
):
    from devices.selectors.desk import DESK_PAGE

    six = SchoolClass.objects.create(school=personas.school, name="6 Oak", year_group="Year 6")
    pupils = [
        PupilFactory(school=personas.school, last_name=f"Pupil{n:02d}", school_class=six)
        for n in range(DESK_PAGE + 5)
    ]
    for pupil in pupils:
        grant(pupil)
    grant(pupils[0], reason="medical")  # two exceptions: still one line, the medical one
    everyone = [f"{p.last_name}, {p.first_name}" for p in pupils]
    client = client_for(personas.office)
    first = client.get(url("desk", personas))
    assert _names(first.content) == everyone[:DESK_PAGE]
    assert b'data-testid="desk-more"' in first.content and b'href="?page=2"' in first.content
    assert b'data-state="medical"' in first.content
    second = client.get(url("desk", personas) + "?q=6+Oak&page=2")
    assert _names(second.content) == everyone[DESK_PAGE:]
    assert b'href="?q=6+Oak&amp;page=1"' in second.content
    assert b'data-testid="desk-more"' not in second.content
    # Checking a phone in from the second page comes back to it, search and all.
    response = client.post(
        url("check_in", personas, pupils[-1].code), {"q": "6 Oak", "page": "2", "condition": ""}
    )
    assert response.status_code == 302 and response.url.endswith("?q=6+Oak&page=2")
    assert HandIn.objects.filter(pupil=pupils[-1]).exists()


def test_the_register_shows_a_page_by_review_due_without_counting_it(
    personas, client_for, grant, django_assert_num_queries
):
    from devices.selectors.desk import REGISTER_PAGE

    today = datetime.date.today()
    made = [grant(review_due=today + datetime.timedelta(days=n)) for n in range(REGISTER_PAGE + 3)]
    client = client_for(personas.office)
    client.get(url("exceptions", personas))
    with django_assert_num_queries(4):
        first = client.get(url("exceptions", personas)).content.decode()
    assert first.count("<tr>") == REGISTER_PAGE + 1  # and the header's
    assert str(made[0].code) in first and str(made[REGISTER_PAGE].code) not in first
    assert 'href="?page=2"' in first
    rest = client.get(url("exceptions", personas) + "?page=2").content.decode()
    assert str(made[REGISTER_PAGE].code) in rest and 'href="?page=1"' in rest
    assert 'href="?page=3"' not in rest


def _grant_some(grant, personas, n):
    for i in range(n):
        pupil = grant().pupil
        if i % 2:
            desk.phone_check_in(actor=personas.office, pupil=pupil)


@pytest.mark.parametrize("name, queries", [("desk", 7), ("exceptions", 4)])
def test_the_desk_and_register_ask_the_same_queries_beyond_a_page(
    personas, client_for, grant, django_assert_num_queries, name, queries
):
    """Three pupils, then 63: more than a page of each, in the same queries, and a page
    shown."""
    client = client_for(personas.office)
    _grant_some(grant, personas, 3)
    client.get(url(name, personas))
    with django_assert_num_queries(queries):
        assert client.get(url(name, personas)).status_code == 200
    _grant_some(grant, personas, 60)
    with django_assert_num_queries(queries):
        big = client.get(url(name, personas))
    from devices.selectors.desk import DESK_PAGE, REGISTER_PAGE

    shown = big.content.count(b'data-testid="desk-row"') or big.content.count(b"<tr>") - 1
    assert shown == (DESK_PAGE if name == "desk" else REGISTER_PAGE)
