"""A pupil's chronology: every entry about them across the concerns the member may see."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from esafety.audit.models import AuditEvent
from esafety.people.access import school_access
from incidents import services
from incidents.models import PupilRole
from tests.factories import PupilFactory


def chronology_url(pupil) -> str:
    return reverse("incidents:chronology", args=[pupil.school.code, pupil.code])


@pytest.fixture
def flagged(personas):
    return PupilFactory(
        school=personas.school,
        first_name="Ottoline",
        last_name="Vane",
        sen=True,
        looked_after=True,
        cp_plan=True,
    )


def test_it_lists_every_entry_about_the_pupil_in_time_order(
    personas, client_for, log_concern, flagged
):
    involved = [services.InvolvedPupil(flagged, PupilRole.AFFECTED)]
    start = timezone.now() - datetime.timedelta(days=10)
    with time_machine.travel(start, tick=False):
        first = log_concern("cyberbullying", pupils=involved, what_happened="First narrative.")
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        second = log_concern("online_hate", pupils=involved)
    with time_machine.travel(start + datetime.timedelta(days=3), tick=False):
        note = services.concern_add_note(actor=personas.dsl, concern=first, text="Later note.")
    with time_machine.travel(start + datetime.timedelta(days=4), tick=False):
        services.concern_correct(actor=personas.dsl, concern=first, entry=note, text="Fixed.")
    unrelated = log_concern("misuse")  # about another pupil

    response = client_for(personas.dsl).get(chronology_url(flagged))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [(e.concern, e.kind) for e in entries] == [
        (first, "logged"),
        (second, "logged"),
        (first, "note"),
        (first, "correction"),
    ]
    assert [link.concern for link in response.context["links"]] == [first, second]
    body = response.content.decode()
    assert unrelated.reference not in body
    assert "First narrative." in body
    assert "Corrects the entry of" in body
    flags = body.split('data-testid="flags"')[1].split("</dd>")[0]
    assert "SEN" in flags and "Looked after" in flags and "CP plan" in flags


def test_it_writes_one_audit_event_for_each_concern_shown(
    personas, client_for, log_concern, flagged
):
    involved = [services.InvolvedPupil(flagged, PupilRole.WITNESS)]
    shown = [log_concern("cyberbullying", pupils=involved) for _ in range(2)]
    log_concern("misuse")  # not about this pupil: not read
    client_for(personas.dsl).get(chronology_url(flagged))
    events = AuditEvent.objects.filter(action="chronology.read")
    assert sorted(events.values_list("object_code", flat=True)) == sorted(
        str(c.code) for c in shown
    )
    assert set(events.values_list("actor", flat=True)) == {personas.dsl.pk}


def test_it_leaves_out_concerns_the_member_may_not_see(personas, client_for, log_concern, flagged):
    involved = [services.InvolvedPupil(flagged, PupilRole.AFFECTED)]
    bullying = log_concern("cyberbullying", pupils=involved)
    about_staff = log_concern("staff_conduct", pupils=involved, staff=[personas.office])
    about_deputy = log_concern("online_hate", pupils=involved, staff=[personas.deputy_dsl])

    response = client_for(personas.deputy_dsl).get(chronology_url(flagged))
    assert [link.concern for link in response.context["links"]] == [bullying]
    assert {e.concern for e in response.context["entries"]} == {bullying}
    body = response.content.decode()
    assert about_staff.reference not in body and about_deputy.reference not in body
    read = set(AuditEvent.objects.filter(action="chronology.read").values_list("object_code"))
    assert read == {(str(bullying.code),)}

    response = client_for(personas.head).get(chronology_url(flagged))
    assert {link.concern for link in response.context["links"]} == {
        bullying,
        about_staff,
        about_deputy,
    }


def test_it_answers_404_for_another_schools_pupil(personas, client_for):
    theirs = PupilFactory(school=personas.other_school)
    url = reverse("incidents:chronology", args=[personas.school.code, theirs.code])
    assert client_for(personas.dsl).get(url).status_code == 404
    assert client_for(personas.other_dsl).get(chronology_url(theirs)).status_code == 200
    assert client_for(personas.other_dsl).get(url).status_code == 404


@pytest.mark.parametrize("who", ["online_safety_lead", "staff", "office", "governor", "parent"])
def test_it_refuses_roles_that_do_not_keep_chronologies(personas, client_for, flagged, who):
    assert client_for(getattr(personas, who)).get(chronology_url(flagged)).status_code == 403


def test_it_shows_a_pupil_who_has_left(personas, client_for, flagged):
    flagged.left_date = timezone.localdate()
    flagged.save()
    response = client_for(personas.dsl).get(chronology_url(flagged))
    assert response.status_code == 200
    assert "No concern about this pupil that you may see." in response.content.decode()


def test_it_is_printable(personas, client_for, flagged):
    body = client_for(personas.dsl).get(chronology_url(flagged)).content.decode()
    assert 'href="/static/css/print.css" media="print"' in body
    assert "js/print.js" in body
    assert "Confidential child-protection record" in body


@pytest.mark.parametrize(
    "who,linked", [("dsl", True), ("deputy_dsl", True), ("head", True), ("office", False)]
)
def test_it_links_the_chronology_from_the_pupil_list(personas, client_for, flagged, who, linked):
    page = client_for(getattr(personas, who)).get(
        reverse("people:pupil_list", args=[personas.school.code])
    )
    assert (chronology_url(flagged) in page.content.decode()) is linked


def test_it_runs_the_same_queries_for_2_concerns_as_for_8(
    personas, client_for, log_concern, flagged
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    involved = [services.InvolvedPupil(flagged, PupilRole.AFFECTED)]
    client = client_for(personas.dsl)

    def count() -> int:
        client.get(chronology_url(flagged))  # the session's idle clock is written once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(chronology_url(flagged)).status_code == 200
        return len(queries)

    for _ in range(2):
        log_concern("cyberbullying", pupils=involved)
    small = count()
    for _ in range(6):
        log_concern("online_hate", pupils=involved)
    assert count() == small
    # Every concern shown is still audited, one event each.
    assert AuditEvent.objects.filter(action="chronology.read").count() == 2 * 2 + 2 * 8


def test_it_shows_a_long_history_a_page_at_a_time(personas, client_for, log_concern, flagged):
    from incidents import selectors

    involved = [services.InvolvedPupil(flagged, PupilRole.AFFECTED)]
    start = timezone.now() - datetime.timedelta(days=30)
    concerns = []
    for day in range(5):
        with time_machine.travel(start + datetime.timedelta(days=day), tick=False):
            concerns.append(log_concern("cyberbullying", pupils=involved))
    for day, concern in enumerate(concerns):
        with time_machine.travel(start + datetime.timedelta(days=10 + day), tick=False):
            services.concern_add_note(actor=personas.dsl, concern=concern, text=f"Note {day}.")
    client = client_for(personas.dsl)
    dsl = school_access(personas.dsl, personas.school.code)
    every = [e.pk for e in selectors.chronology(dsl, flagged, size=1000).entries]
    assert len(every) == 10

    # Four a page: the newest four first, oldest first within the page.
    newest = selectors.chronology(dsl, flagged, size=4)
    assert [e.pk for e in newest.entries] == every[-4:]
    assert newest.later is None and newest.earlier == newest.entries[0].code
    middle = selectors.chronology(dsl, flagged, before=newest.earlier, size=4)
    assert [e.pk for e in middle.entries] == every[2:6]
    oldest = selectors.chronology(dsl, flagged, before=middle.earlier, size=4)
    assert [e.pk for e in oldest.entries] == every[:2]
    assert oldest.earlier is None and oldest.later == oldest.entries[-1].code
    back = selectors.chronology(dsl, flagged, after=oldest.later, size=4)
    assert [e.pk for e in back.entries] == every[2:6]

    # The page itself: the newest page, with a link to the earlier entries that works.
    page = client.get(chronology_url(flagged))
    assert len(page.context["entries"]) == 10 and page.context["earlier"] is None
    # An entry of another pupil's chronology names no page here: the newest page is shown.
    other = log_concern("misuse")
    foreign = other.entries.get().code
    assert client.get(chronology_url(flagged), {"before": foreign}).context["later"] is None
    assert client.get(chronology_url(flagged), {"before": "not-a-code"}).status_code == 200
