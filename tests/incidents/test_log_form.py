"""Logging a concern through the page: who may, what is refused, what is kept."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from esafety.notify.models import Message
from esafety.people.models import Role
from incidents.categories import Category
from incidents.models import Concern, ConcernStaff
from tests.access_table import EMPLOYED
from tests.factories import MembershipFactory, PupilFactory
from tests.incidents.helpers import csrf_checking_client, form_data, new_url, nothing_saved

NOT_EMPLOYED = ["governor", "chair", "parent"]


@pytest.mark.parametrize("role", sorted(EMPLOYED))
def test_it_shows_the_form_to_everyone_the_school_employs(personas, client_for, role):
    r = client_for(personas.for_role(role)).get(new_url(personas))
    assert r.status_code == 200
    assert b"What is the concern about?" in r.content


@pytest.mark.parametrize("who", NOT_EMPLOYED)
def test_it_refuses_governors_and_parents(personas, client_for, who):
    client = client_for(getattr(personas, who))
    assert client.get(new_url(personas)).status_code == 403
    assert client.post(new_url(personas), form_data()).status_code == 403
    nothing_saved()


def test_it_answers_another_schools_dsl_as_if_the_school_did_not_exist(personas, client_for):
    client = client_for(personas.other_dsl)
    assert client.get(new_url(personas)).status_code == 404
    assert client.post(new_url(personas), form_data()).status_code == 404


def test_it_still_checks_the_csrf_token_of_the_form(personas, pupil):
    # The view turns the middleware's check off so that it can choose how files are received
    # first, and checks the token itself straight after.
    client = csrf_checking_client(personas.staff)
    r = client.post(new_url(personas), form_data(pupil))
    assert r.status_code == 403
    nothing_saved()
    token = str(client.get(new_url(personas)).context["csrf_token"])
    r = client.post(new_url(personas), {**form_data(pupil), "csrfmiddlewaretoken": token})
    assert r.status_code == 302
    assert Concern.objects.count() == 1


def test_it_defaults_when_to_now_in_the_schools_time(personas, client_for):
    # 09:30 UTC is 10:30 in London in June (British Summer Time).
    with time_machine.travel(datetime.datetime(2026, 6, 14, 9, 30, tzinfo=datetime.UTC)):
        r = client_for(personas.staff).get(new_url(personas))
    assert 'type="datetime-local" name="occurred_at" value="2026-06-14T10:30"' in (
        r.content.decode()
    )


def test_it_logs_a_concern_and_alerts_the_dsl_and_deputy(personas, client_for, pupil):
    client = client_for(personas.staff)
    r = client.post(new_url(personas), form_data(pupil, **{f"role_{pupil.code}": "witness"}))
    concern = Concern.objects.get()
    assert r.status_code == 302
    # The reporter's page says it is logged because the address asks it to: no session write.
    assert (
        r["Location"]
        == reverse("incidents:my_concern", args=[personas.school.code, concern.code]) + "?logged=1"
    )
    assert concern.reported_by == personas.staff
    assert concern.school == personas.school
    assert concern.category == Category.CYBERBULLYING
    assert concern.location == "Year 5 classroom"
    assert concern.told_dsl_in_person is False
    assert concern.immediate_risk is False
    assert [(link.pupil, link.role) for link in concern.pupil_links.all()] == [(pupil, "witness")]
    alerted = set(Message.objects.values_list("to_email", flat=True))
    assert alerted == {personas.dsl.email, personas.deputy_dsl.email}
    # The alert names no child and carries no narrative.
    for message in Message.objects.all():
        assert "Zephyrine" not in message.subject + message.body
        assert "group chat" not in message.subject + message.body

    page = client.get(r["Location"])
    assert f"Concern {concern.reference} is logged" in page.content.decode()
    assert "What happens next" in page.content.decode()
    # Said by that response itself: nothing of it was kept to show again.
    again = client.get(reverse("incidents:my_concern", args=[personas.school.code, concern.code]))
    assert "is logged" not in again.content.decode()


def logging_queries() -> int:
    """Logging a concern through the page, whatever the size of the school: session, user,
    memberships, the pupils named; the school's lock, the next number and (on PostgreSQL) the
    concern's id, in one call; the audit chain's head; who to alert, in one query; then one
    INSERT of the concern, its pupils, its steps, its timeline entry, its audit event and its
    alerts (esafety.db.insert_together). The test's transaction makes the service's a savepoint
    and its release. On SQLite each table's rows are an INSERT of their own: five more."""
    from django.db import connection

    return 10 if connection.vendor == "postgresql" else 15


def test_it_logs_a_concern_in_the_same_number_of_queries_however_big_the_school(
    personas, client_for, pupil, django_assert_num_queries
):
    client = client_for(personas.staff)
    with django_assert_num_queries(logging_queries()):
        r = client.post(new_url(personas), form_data(pupil))
    assert r.status_code == 302
    # A school with a history: many concerns, pupils, staff and safeguarding leads to alert.
    for _ in range(3):
        MembershipFactory(school=personas.school, role=Role.DEPUTY_DSL)
    for _ in range(30):
        MembershipFactory(school=personas.school, role=Role.STAFF)
    others = PupilFactory.create_batch(40, school=personas.school)
    for i in range(20):
        client.post(new_url(personas), form_data(others[i]))
    Message.objects.all().delete()
    with django_assert_num_queries(logging_queries()):
        r = client.post(new_url(personas), form_data(pupil))
    assert r.status_code == 302
    assert Concern.objects.count() == 22
    assert Message.objects.count() == 5  # the DSL and four deputies


def test_it_logs_an_allegation_about_staff_in_one_query_more(
    personas, client_for, django_assert_num_queries
):
    # Whether a member of staff named is the head decides who is told (the chair when it is):
    # the one query more. With no pupil here, the form reads the staff named instead of the
    # pupils, and the service inserts them instead.
    client = client_for(personas.staff)
    data = form_data(category=Category.STAFF_CONDUCT, staff=[str(personas.office.code)])
    with django_assert_num_queries(logging_queries() + 1):
        r = client.post(new_url(personas), data)
    assert r.status_code == 302
    assert set(Message.objects.values_list("to_email", flat=True)) == {personas.head.email}


def test_it_records_staff_involved_and_routes_staff_conduct_to_the_head(personas, client_for):
    client = client_for(personas.staff)
    r = client.post(
        new_url(personas),
        form_data(category=Category.STAFF_CONDUCT, staff=[str(personas.office.code)]),
    )
    assert r.status_code == 302
    assert Concern.objects.get().category == Category.STAFF_CONDUCT
    assert list(ConcernStaff.objects.values_list("user", flat=True)) == [personas.office.pk]
    assert set(Message.objects.values_list("to_email", flat=True)) == {personas.head.email}


def test_it_lists_the_staff_a_reporter_may_name_and_keeps_those_ticked(personas, client_for, pupil):
    from tests.conftest import make_member

    make_member(personas.school, Role.STAFF, "ann@oakfield.test", "<b>Ann</b> O'Neil")
    client = client_for(personas.staff)
    html = client.get(new_url(personas)).content.decode()
    assert "&lt;b&gt;Ann&lt;/b&gt; O&#x27;Neil" in html
    assert "<b>Ann</b>" not in html
    boxes = html.count('name="staff"')
    assert boxes == len(set(personas.school.memberships.values_list("user", flat=True))) - 4
    # The reporter (and the governors and the parent) are not on it.
    assert f'value="{personas.staff.code}"' not in html
    assert f'value="{personas.governor.code}"' not in html
    assert 'id="id_staff_0"' in html and f'id="id_staff_{boxes}"' not in html

    # Shown again with a problem elsewhere, the person ticked stays ticked, and only they.
    data = form_data(pupil, staff=[str(personas.office.code)], what_happened="")
    html = client.post(new_url(personas), data).content.decode()
    picker = html[html.index('id="div_id_staff"') : html.index('id="id_staff_helptext"')]
    assert picker.count(" checked>") == 1
    office_box = picker[picker.index(f'value="{personas.office.code}"') :]
    assert office_box.index(" checked>") < office_box.index("</div>")
    assert Concern.objects.count() == 0


def test_it_asks_who_an_allegation_about_staff_is_about(personas, client_for, pupil):
    what = "A teacher followed pupils from a personal account."
    r = client_for(personas.staff).post(
        new_url(personas), form_data(pupil, category=Category.STAFF_CONDUCT, what_happened=what)
    )
    assert r.status_code == 200
    message = (
        "Name the member of staff this concern is about: tick them under “Staff involved”. "
        "They will not see it."
    )
    assert r.context["form"].errors["staff"] == [message]
    assert ("id_staff_0", message) in r.context["form"].error_summary()
    html = r.content.decode()
    assert what in html
    # "Staff involved" is opened to show the problem, and the problem is shown there.
    assert '<details class="mb-3" open>' in html
    assert f'<p id="error_1_id_staff"><strong>{message}</strong></p>' in html.replace(
        "&#x27;", "'"
    ).replace("&ldquo;", "“")
    nothing_saved()


def test_it_tells_the_head_too_of_indecent_images_naming_a_member_of_staff(
    personas, client_for, pupil
):
    client = client_for(personas.staff)
    r = client.post(
        new_url(personas), form_data(pupil, category=Category.IIOC, staff=[personas.office.code])
    )
    assert r.status_code == 302
    concern = Concern.objects.get()
    assert set(Message.objects.values_list("to_email", flat=True)) == {
        personas.dsl.email,
        personas.deputy_dsl.email,
        personas.head.email,
    }
    assert concern.steps.get(key="lado").required is True
    html = client.get(r["Location"]).content.decode()
    assert "So has the headteacher" in html


def test_it_offers_only_this_schools_staff(personas, client_for):
    r = client_for(personas.staff).get(new_url(personas))
    offered = set(r.context["form"].fields["staff"].queryset)
    assert offered == {
        personas.dsl,
        personas.deputy_dsl,
        personas.online_safety_lead,
        personas.head,
        personas.office,
    }  # not governors, parents, another school's DSL, nor the reporter themselves


def test_it_refuses_a_member_of_another_schools_staff(personas, client_for):
    r = client_for(personas.staff).post(
        new_url(personas), form_data(staff=[str(personas.other_dsl.code)])
    )
    assert r.status_code == 200
    assert r.context["form"].errors["staff"] == ["Choose staff from this school's list only."]
    nothing_saved()


def test_it_refuses_a_pupil_of_another_school_posted_by_code(personas, client_for, pupil):
    elsewhere = PupilFactory(school=personas.other_school, first_name="Zephyrine")
    r = client_for(personas.staff).post(new_url(personas), form_data(elsewhere))
    assert r.status_code == 200
    assert r.context["form"].errors["pupil"] == [
        "A pupil on the form is not one of this school's pupils on roll. Remove them and find "
        "the pupil again by name."
    ]
    assert str(elsewhere.code) not in r.content.decode()
    nothing_saved()


def test_it_refuses_another_schools_pupil_alongside_one_of_ours(personas, client_for, pupil):
    elsewhere = PupilFactory(school=personas.other_school)
    data = form_data(pupil)
    data["pupil"].append(str(elsewhere.code))
    data[f"role_{elsewhere.code}"] = "alleged"
    r = client_for(personas.staff).post(new_url(personas), data)
    assert "pupil" in r.context["form"].errors
    # Ours is still on the form, with its role; theirs is not.
    assert r.context["chosen"] == [(pupil, "affected")]
    nothing_saved()


def test_it_refuses_a_pupil_who_has_left(personas, client_for):
    leaver = PupilFactory(
        school=personas.school,
        on_roll_date=datetime.date(2020, 9, 1),
        left_date=datetime.date(2024, 7, 19),
    )
    r = client_for(personas.staff).post(new_url(personas), form_data(leaver))
    assert "pupil" in r.context["form"].errors
    nothing_saved()


def test_it_refuses_a_code_that_is_not_a_code(personas, client_for):
    r = client_for(personas.staff).post(new_url(personas), form_data(pupil=["1", "not-a-code"]))
    assert "pupil" in r.context["form"].errors
    nothing_saved()


def test_it_asks_for_each_pupils_role(personas, client_for, pupil):
    data = form_data(pupil)
    data[f"role_{pupil.code}"] = "ringleader"
    r = client_for(personas.staff).post(new_url(personas), data)
    assert r.context["form"].errors["pupil"] == [
        "Choose whether Zephyrine Quarterbridge was affected, alleged to be responsible or a "
        "witness."
    ]
    nothing_saved()


def test_it_says_what_to_fix_and_links_each_problem_to_its_field(personas, client_for):
    r = client_for(personas.staff).post(new_url(personas), {"occurred_at": ""})
    assert r.status_code == 200
    summary = r.context["form"].error_summary()
    assert summary == [
        ("id_category_0", "Choose what the concern is about."),
        ("id_told_dsl_in_person_0", "Say whether you have told the DSL in person."),
        ("id_what_happened", "Write what happened."),
        ("id_occurred_at", "Say when it happened (roughly is fine)."),
    ]
    html = r.content.decode()
    for anchor, _message in summary:
        assert f'href="#{anchor}"' in html
        assert f'id="{anchor}"' in html
    # Each field's own message is tied to it for screen readers.
    assert 'aria-describedby="id_what_happened_helptext id_what_happened_error"' in html
    nothing_saved()


def test_it_refuses_a_time_in_the_future(personas, client_for):
    later = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    r = client_for(personas.staff).post(new_url(personas), form_data(occurred_at=later))
    assert r.context["form"].errors["occurred_at"] == ["When it happened cannot be in the future."]
    nothing_saved()


@pytest.mark.parametrize(
    "when",
    ["0001-01-01T10:00", "1926-03-14T10:30", "0026-03-14T10:30"],
    ids=["year-1", "a-century-ago", "two-digit-year"],
)
def test_it_refuses_a_time_long_ago_and_says_check_the_year(personas, client_for, when):
    what = "Typed carefully before the date was got wrong."
    r = client_for(personas.staff).post(
        new_url(personas), form_data(occurred_at=when, what_happened=what)
    )
    assert r.context["form"].errors["occurred_at"] == [
        "When it happened is more than 20 years ago: check the year."
    ]
    html = r.content.decode()
    assert what in html
    assert f'value="{when}"' in html  # shown as typed, to correct
    nothing_saved()


def test_it_takes_a_historic_disclosure_and_a_phone_a_few_minutes_fast(personas, client_for):
    client = client_for(personas.staff)
    with time_machine.travel(datetime.datetime(2026, 3, 14, 10, 30, tzinfo=datetime.UTC)):
        # Something a sixth-former says happened when they were small.
        r = client.post(new_url(personas), form_data(occurred_at="2008-09-01T09:00"))
        assert r.status_code == 302
        r = client.post(new_url(personas), form_data(occurred_at="2026-03-14T10:38"))
        assert r.status_code == 302
        r = client.post(new_url(personas), form_data(occurred_at="2006-03-01T09:00"))
        assert "occurred_at" in r.context["form"].errors
    assert Concern.objects.count() == 2


def test_it_takes_a_long_account_up_to_the_limit(personas, client_for):
    what = "Word " * 4000  # 20,000 characters, the last a space the form trims
    r = client_for(personas.staff).post(new_url(personas), form_data(what_happened=what))
    assert r.status_code == 302
    assert Concern.objects.get().what_happened == what.strip()


def test_it_refuses_a_narrative_past_the_limit_and_keeps_it_to_shorten(personas, client_for):
    what = "A" * (2 * 1024 * 1024)
    r = client_for(personas.staff).post(new_url(personas), form_data(what_happened=what))
    assert r.status_code == 200
    assert r.context["form"].errors["what_happened"] == [
        "This is 2,097,152 characters long: keep it to 20,000. Write the facts the DSL needs "
        "now; they will ask you for more."
    ]
    html = r.content.decode()
    assert what in html
    # No maxlength: a browser would cut a pasted account short without a word.
    assert "maxlength" not in html.split('name="what_happened"')[1].split(">")[0]
    nothing_saved()


@pytest.mark.parametrize("value", ["definitely", "true", "1", "off", "no"])
def test_it_takes_only_a_real_tick_for_immediate_risk(personas, client_for, pupil, value):
    what = "Kept as typed."
    r = client_for(personas.staff).post(
        new_url(personas), form_data(pupil, immediate_risk=value, what_happened=what)
    )
    assert r.status_code == 200
    assert r.context["form"].errors["immediate_risk"] == ["Tick the box, or leave it empty."]
    html = r.content.decode()
    assert what in html
    # Shown unticked, with no value of its own, so ticking it sends what a browser sends.
    box = html.split('name="immediate_risk"')[1].split(">")[0]
    assert "checked" not in box
    assert "value=" not in box
    assert r.context["immediate_risk"] is False  # nor the 999 alert shown as if it were
    nothing_saved()


def test_it_takes_a_tick_and_no_tick(personas, client_for, pupil):
    client = client_for(personas.staff)
    assert client.post(new_url(personas), form_data(pupil, immediate_risk="on")).status_code == 302
    assert client.post(new_url(personas), form_data(pupil)).status_code == 302
    assert list(Concern.objects.order_by("number").values_list("immediate_risk", flat=True)) == [
        True,
        False,
    ]


def test_it_shows_the_999_alert_after_submit_when_a_child_is_at_immediate_risk(
    personas, client_for, pupil
):
    client = client_for(personas.staff)
    # Sent back with a problem: the alert is there at once.
    r = client.post(new_url(personas), form_data(pupil, immediate_risk="on", what_happened=""))
    assert "Call 999 now and tell the DSL in person." in r.content.decode()
    nothing_saved()
    # Logged: the confirmation says it again, and the alert is marked urgent.
    r = client.post(new_url(personas), form_data(pupil, immediate_risk="on"), follow=True)
    assert "Call 999 now and tell the DSL in person." in r.content.decode()
    assert Concern.objects.get().immediate_risk is True
    assert all(m.subject.startswith("URGENT") for m in Message.objects.all())


def test_it_does_not_show_the_999_alert_when_the_box_is_not_ticked(personas, client_for, pupil):
    r = client_for(personas.staff).post(new_url(personas), form_data(pupil), follow=True)
    assert r.status_code == 200 and r.redirect_chain  # logged, not the form shown again
    assert "Call 999 now" not in r.content.decode()


@pytest.mark.parametrize("who", sorted(EMPLOYED) + NOT_EMPLOYED)
def test_it_offers_log_a_concern_on_the_home_page_and_in_the_menu_to_staff_only(
    personas, client_for, who
):
    r = client_for(getattr(personas, who)).get(
        reverse("people:school_home", args=[personas.school.code])
    )
    html = r.content.decode()
    button = f'class="btn btn-primary btn-lg" href="{new_url(personas)}">Log a concern</a>'
    labels = [item.label for item in r.context["nav"]]
    if who in EMPLOYED:
        assert button in html
        assert {"Log a concern", "My concerns"} <= set(labels)
    else:
        assert new_url(personas) not in html
        assert "Log a concern" not in labels
        assert "My concerns" not in labels
