"""Staff pages: the check before publishing, the lists and their PDF, the pupil's page with the
marking, take-downs, purposes; each at a constant number of queries."""

import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consent.models import Choice, Method, Publication, TakeDown
from consent.services.decisions import decision_record, marking_set
from consent.services.publications import publication_record
from esafety.audit.models import AuditEvent
from tests.factories import GuardianFactory, PupilFactory, SchoolClassFactory


@pytest.fixture
def klass(personas, consent):
    """A class of four: two granted the website, one refused, one marked."""
    school_class = SchoolClassFactory(school=personas.school, name="6B")
    pupils = {}
    for name, choice in (
        ("Amir", Choice.GRANTED),
        ("Bea", Choice.GRANTED),
        ("Cal", Choice.REFUSED),
        ("Dot", Choice.GRANTED),
        ("Eli", Choice.ALONE_ONLY),
    ):
        pupil = PupilFactory(
            school=personas.school, first_name=name, last_name="Pupil", school_class=school_class
        )
        decision_record(
            actor=personas.office,
            pupil=pupil,
            purpose=consent.website,
            choice=choice,
            method=Method.PAPER,
            guardian=GuardianFactory(pupil=pupil),
        )
        pupils[name] = pupil
    marking_set(actor=personas.dsl, pupil=pupils["Dot"], reason="SECRET-REASON court order")
    return school_class, pupils


def check_url(consent, school_class, name="consent:check"):
    return (
        reverse(name, args=[consent.school.code])
        + f"?purpose={consent.website.code.hex}&school_class={school_class.code.hex}"
    )


def test_the_check_says_who_may_not_appear_and_who_only_alone(personas, consent, klass, client_for):
    school_class, _pupils = klass
    response = client_for(personas.staff).get(check_url(consent, school_class))
    text = response.content.decode()
    assert response.status_code == 200
    may_not = text.split('data-testid="may-not"')[1].split("</div>")[0]
    assert "Cal Pupil" in may_not and "Dot Pupil" in may_not
    assert "Amir" not in may_not and "Bea" not in may_not
    assert "Do not photograph" in may_not and "SECRET" not in text
    alone = text.split('data-testid="alone-only"')[1].split("</div>")[0]
    assert "Eli Pupil" in alone


def test_confirming_records_the_use_and_refuses_a_pupil_who_may_not_appear(
    personas, consent, klass, client_for
):
    school_class, pupils = klass
    client = client_for(personas.staff)
    data = {
        "purpose": consent.website.code.hex,
        "title": "Class photo",
        "channel": "website",
        "reference": "https://example.test/6b",
    }
    bad = client.post(
        check_url(consent, school_class),
        {**data, "pupil": [pupils["Amir"].code.hex, pupils["Cal"].code.hex]},
    )
    assert bad.status_code == 200
    assert "1 of these pupils may not appear" in bad.content.decode()
    assert not Publication.objects.exists()
    ok = client.post(
        check_url(consent, school_class),
        {**data, "pupil": [pupils["Amir"].code.hex, pupils["Bea"].code.hex]},
    )
    assert ok.status_code == 302
    use = Publication.objects.get()
    assert (use.recorded_by, use.channel, use.appearances.count()) == (personas.staff, "website", 2)


def test_a_pupil_code_of_another_school_is_a_404(personas, consent, klass, client_for):
    school_class, pupils = klass
    elsewhere = PupilFactory(school=personas.other_school)
    response = client_for(personas.staff).post(
        check_url(consent, school_class),
        {
            "purpose": consent.website.code.hex,
            "title": "Class photo",
            "channel": "website",
            "pupil": [pupils["Amir"].code.hex, elsewhere.code.hex],
        },
    )
    assert response.status_code == 404


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "list.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_pdf_renders_and_holds_exactly_the_names_expected_and_each_print_is_audited(
    personas, consent, klass, client_for, tmp_path
):
    school_class, pupils = klass
    response = client_for(personas.staff).get(check_url(consent, school_class, "consent:lists_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="do-not-photograph.pdf"'
    text = pdf_text(response.content, tmp_path)
    assert "CONFIDENTIAL" in text
    named = {name for name in pupils if f"{name} Pupil" in text}
    assert named == {"Cal", "Dot", "Eli"}
    assert "SECRET" not in text and "Refused" not in text
    event = AuditEvent.objects.get(action="consent.list_printed")
    assert event.actor == personas.staff and "Pupil" not in event.summary


def test_the_pupils_page_shows_staff_do_not_photograph_and_the_reason_to_the_dsl_and_head_only(
    personas, consent, klass, client_for
):
    _class, pupils = klass
    url = reverse("consent:pupil", args=[personas.school.code, pupils["Dot"].code])
    for who in (personas.office, personas.deputy_dsl):
        text = client_for(who).get(url).content.decode()
        assert "Do not photograph" in text and "SECRET" not in text
    for who in (personas.dsl, personas.head):
        assert "SECRET-REASON" in client_for(who).get(url).content.decode()


def test_the_office_records_a_paper_decision_on_the_pupils_page(
    personas, consent, klass, client_for
):
    _class, pupils = klass
    amir = pupils["Amir"]
    guardian = amir.guardians.get()
    response = client_for(personas.office).post(
        reverse("consent:pupil", args=[personas.school.code, amir.code]),
        {
            "purpose": consent.press.code.hex,
            "choice": "refused",
            "who": guardian.code.hex,
            "method": "paper",
        },
    )
    assert response.status_code == 302
    assert amir.consent_decisions.filter(purpose=consent.press, choice="refused").exists()


def test_only_the_dsl_and_the_head_may_mark_and_lift(personas, consent, klass, client_for):
    _class, pupils = klass
    url = reverse("consent:mark", args=[personas.school.code, pupils["Amir"].code])
    client_for(personas.head).post(url, {"reason": "Looked-after child."})
    assert pupils["Amir"].photo_markings.filter(lifted_at__isnull=True).exists()
    client_for(personas.dsl).post(url, {"lift": "1"})
    assert not pupils["Amir"].photo_markings.filter(lifted_at__isnull=True).exists()


def test_the_office_marks_a_take_down_removed(personas, consent, klass, client_for):
    _class, pupils = klass
    publication_record(
        actor=personas.staff,
        purpose=consent.website,
        pupils=[pupils["Amir"]],
        title="Assembly",
        channel="website",
    )
    decision_record(
        actor=personas.office,
        pupil=pupils["Amir"],
        purpose=consent.website,
        choice=Choice.REFUSED,
        method=Method.IN_PERSON,
        guardian=pupils["Amir"].guardians.get(),
    )
    takedown = TakeDown.objects.get()
    client = client_for(personas.office)
    page = client.get(reverse("consent:takedowns", args=[personas.school.code]))
    assert "1 still to do." in page.content.decode()
    url = reverse("consent:takedown_done", args=[personas.school.code, takedown.code])
    client.post(url, {"how": ""})
    takedown.refresh_from_db()
    assert takedown.is_open
    client.post(url, {"how": "Deleted from the website"})
    takedown.refresh_from_db()
    assert not takedown.is_open and takedown.closed_by == personas.office


def test_a_take_down_of_another_school_is_a_404(personas, consent, client_for):
    from consent.services.setup import consent_setup

    consent_setup(school=personas.other_school)
    response = client_for(personas.office).post(
        reverse(
            "consent:takedown_done",
            args=[personas.school.code, "00000000-0000-4000-8000-000000000009"],
        ),
        {"how": "x"},
    )
    assert response.status_code == 404


def _grow(personas, consent, school_class, n):
    for i in range(n):
        pupil = PupilFactory(
            school=personas.school, first_name=f"More{i}", school_class=school_class
        )
        guardian = GuardianFactory(pupil=pupil)
        for purpose in (consent.website, consent.press):
            decision_record(
                actor=personas.office,
                pupil=pupil,
                purpose=purpose,
                choice=Choice.GRANTED if i % 3 else Choice.REFUSED,
                method=Method.PAPER,
                guardian=guardian,
            )
        use = publication_record(
            actor=personas.staff,
            purpose=consent.display,
            pupils=[pupil],
            title=f"Display {i}",
            channel="display",
        )
        if i % 2:
            marking_set(actor=personas.head, pupil=pupil, reason="x")
        assert use


PAGES = [
    ("consent:check", "staff", True),
    ("consent:lists", "staff", True),
    ("consent:register", "office", False),
    ("consent:publications", "staff", False),
    ("consent:takedowns", "office", False),
    ("consent:figures", "governor", False),
    ("consent:purposes", "office", False),
]


@pytest.mark.parametrize(("name", "role", "query"), PAGES)
def test_each_page_costs_the_same_queries_at_two_sizes(
    personas, consent, klass, client_for, django_assert_num_queries, name, role, query
):
    school_class, _pupils = klass
    url = (
        check_url(consent, school_class, name)
        if query
        else reverse(name, args=[consent.school.code])
    )
    client = client_for(getattr(personas, role))
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    queries = len(small)
    _grow(personas, consent, school_class, 12)
    client.get(url)
    with django_assert_num_queries(queries):
        client.get(url)


def test_a_named_list_for_a_trip_holds_only_the_pupils_going(
    personas, consent, klass, client_for, tmp_path
):
    _class, pupils = klass
    going = [pupils["Amir"], pupils["Cal"], pupils["Eli"]]
    query = f"?purpose={consent.website.code.hex}" + "".join(f"&pupil={p.code.hex}" for p in going)
    client = client_for(personas.staff)
    page = client.get(reverse("consent:lists", args=[personas.school.code]) + query)
    answer = page.content.decode().split('data-testid="answer"')[1].split("</section>")[0]
    assert "Cal Pupil" in answer and "Eli Pupil" in answer and "Dot" not in answer
    pdf = client.get(reverse("consent:lists_pdf", args=[personas.school.code]) + query)
    text = pdf_text(pdf.content, tmp_path)
    assert {name for name in pupils if f"{name} Pupil" in text} == {"Cal", "Eli"}
