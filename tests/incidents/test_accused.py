"""The accused never learns (issue 7, item 1): a concern about a DSL or a head is invisible to
them on every page they can reach, not only on its own page. Each page is walked as the accused
DSL and as the accused head, and must not carry the concern's reference, its code or the email of
the person who logged it (the audit log's "who" column). The reporter's name is on the audit
log's list of staff to filter by, as every member of staff is, so it proves nothing either way.)"""

import pytest
from django.urls import reverse

from esafety.audit.models import AuditEvent
from incidents import services
from incidents.models import PupilRole

REPORTER_NAME = "Rhiannon Whistleford"


@pytest.fixture
def reporter(personas):
    from tests.conftest import make_member

    return make_member(personas.school, "staff", "rhiannon@oakfield.test", REPORTER_NAME)


@pytest.fixture
def allegation(personas, pupil, reporter, client_for):
    """Returns a function: an allegation about `accused`, logged, read by the others who may
    read it (so the audit trail has reads of it), and a concern the accused may see."""

    def _make(accused):
        concern = services.concern_log(
            actor=reporter,
            school=personas.school,
            category="staff_conduct",
            occurred_at=pupil.created_at,
            location="Staff room",
            what_happened="Messages to a pupil on a personal account.",
            pupils=[services.InvolvedPupil(pupil, PupilRole.AFFECTED)],
            staff=[accused],
        )
        readers = [u for u in (personas.dsl, personas.head, personas.chair) if u != accused]
        for reader in readers:
            response = client_for(reader).get(
                reverse("incidents:detail", args=[personas.school.code, concern.code])
            )
            if response.status_code == 200:
                services.concern_acknowledge(actor=reader, concern=concern)
                break
        else:
            raise AssertionError("nobody could open the allegation")
        return concern

    return _make


@pytest.fixture
def visible(personas, pupil, log_concern):
    # A concern the accused may see, about the same pupil, so every page has something on it.
    return log_concern("cyberbullying")


def pages_for(personas, pupil, concern, reporter) -> list[str]:
    code = personas.school.code
    audit = reverse("audit:event_list", args=[code])
    return [
        reverse("people:school_home", args=[code]),
        reverse("incidents:dashboard", args=[code]),
        reverse("incidents:dashboard_list", args=[code]),
        reverse("incidents:dashboard_list", args=[code]) + "?category=staff_conduct",
        reverse("incidents:dashboard_list", args=[code]) + "?status=acknowledged",
        reverse("incidents:chronology", args=[code, pupil.code]),
        reverse("people:pupil_list", args=[code]),
        audit,
        f"{audit}?object_code={concern.code}",
        f"{audit}?person={reporter.code}",
    ]


def leaks(body: str, concern, reporter) -> list[str]:
    # The filter form shows back a code the visitor typed in; only the results count.
    body = body.replace(f'value="{concern.code}"', "")
    found = []
    for needle in (concern.reference, str(concern.code), reporter.email):
        if needle in body:
            found.append(needle)
    return found


@pytest.mark.parametrize("who", ["dsl", "head"])
def test_it_hides_an_allegation_about_them_from_every_page_they_can_reach(
    who, personas, pupil, allegation, visible, reporter, client_for
):
    accused = personas.for_role(who)
    concern = allegation(accused)
    # The trail does hold the allegation's events: logging, reads, acknowledgement.
    about_it = AuditEvent.objects.filter(object_code=str(concern.code))
    assert about_it.filter(action="concern.logged").exists()
    assert about_it.filter(action="concern.read").exists()

    client = client_for(accused)
    problems = []
    for path in pages_for(personas, pupil, concern, reporter):
        response = client.get(path)
        assert response.status_code == 200, path
        found = leaks(response.content.decode(), concern, reporter)
        if found:
            problems.append(f"{path} shows {found}")
    detail = reverse("incidents:detail", args=[personas.school.code, concern.code])
    assert client.get(detail).status_code == 404
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("who", ["dsl", "head"])
def test_it_counts_only_what_the_accused_may_open(
    who, personas, pupil, allegation, reporter, client_for, log_concern
):
    accused = personas.for_role(who)
    allegation(accused)
    # A second, unacknowledged allegation: the home page's "waiting" count would include it.
    services.concern_log(
        actor=reporter,
        school=personas.school,
        category="staff_conduct",
        occurred_at=pupil.created_at,
        location="",
        what_happened="Another allegation.",
        pupils=[],
        staff=[accused],
    )
    log_concern("cyberbullying")
    client = client_for(accused)
    home = client.get(reverse("people:school_home", args=[personas.school.code]))
    dashboard = client.get(reverse("incidents:dashboard", args=[personas.school.code]))
    assert [w.category for w in dashboard.context["waiting"]] == ["Cyberbullying"]
    assert dashboard.context["open_table"]["total"] == 1
    assert "1 waiting to be acknowledged" in home.content.decode()


def test_it_shows_the_allegation_and_its_events_to_those_who_may_read_it(
    personas, pupil, allegation, reporter, client_for
):
    # The same pages still show it to the head when the DSL is the accused: the rule hides,
    # it does not lose.
    concern = allegation(personas.dsl)
    audit = reverse("audit:event_list", args=[personas.school.code])
    body = client_for(personas.head).get(f"{audit}?object_code={concern.code}").content.decode()
    assert concern.reference in body
    assert "concern.logged" in body
