"""A reporter's view of what they logged: status and their own words, never the DSL's work."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from esafety.audit.models import AuditEvent
from esafety.notify.models import Message
from incidents import services
from incidents.models import Concern, EntryKind, PupilRole, Status
from tests.access_table import EMPLOYED
from tests.factories import PupilFactory


def mine_url(personas) -> str:
    return reverse("incidents:mine", args=[personas.school.code])


def detail_url(personas, concern) -> str:
    return reverse("incidents:my_concern", args=[personas.school.code, concern.code])


def reads(action: str) -> list[str]:
    return list(
        AuditEvent.objects.filter(action=action).order_by("id").values_list("summary", flat=True)
    )


@pytest.fixture
def worked(personas, log_concern):
    """A concern the staff persona logged, which the DSL has worked on since."""
    concern = log_concern("cyberbullying", what_happened="Cruel messages in the class chat.")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    services.concern_add_note(
        actor=personas.dsl, concern=concern, text="DSL ONLY: spoke to mum, history of this."
    )
    step = concern.steps.get(key="record")
    services.step_complete(
        actor=personas.dsl, concern=concern, step=step, done=True, note="STEP NOTE on file."
    )
    services.referral_record(
        actor=personas.dsl,
        concern=concern,
        referred=True,
        agency="police",
        referred_on=datetime.date(2026, 3, 2),
        reference="POLICE-REF-778",
    )
    return concern


def test_it_lists_the_concerns_i_logged_with_reference_category_date_and_status(
    personas, client_for, log_concern, worked
):
    other = log_concern("online_hate", actor=personas.office)
    r = client_for(personas.staff).get(mine_url(personas))
    assert r.status_code == 200
    assert list(r.context["page"]) == [worked]
    html = r.content.decode()
    assert worked.reference in html
    assert "Cyberbullying" in html
    assert "Acknowledged" in html
    assert other.reference not in html
    for secret in ("DSL ONLY", "STEP NOTE", "POLICE-REF-778", "Police"):
        assert secret not in html


def test_it_shows_the_status_but_never_what_i_wrote_nor_the_dsls_work(
    personas, client_for, worked, pupil
):
    r = client_for(personas.staff).get(detail_url(personas, worked))
    assert r.status_code == 200
    html = r.content.decode()
    assert r.context["concern"] == worked
    assert 'data-testid="status">Acknowledged<' in html
    summary = html.split('data-testid="concern-summary"')[1].split("</dl>")[0]
    for shown in (worked.reference, "Cyberbullying", "Logged"):
        assert shown in summary
    assert "What happens next" in html
    # What was logged is for those who need to know: a screen left open in a staff room, or a
    # reporter's account used by someone else, shows none of it.
    for secret in (
        "Cruel messages in the class chat.",
        "Zephyrine",
        "Quarterbridge",
        "Year 5 classroom",
        "DSL ONLY",
        "STEP NOTE",
        "POLICE-REF-778",
        "Incident recorded",
    ):
        assert secret not in html


def test_it_never_shows_the_staff_i_named(personas, client_for, log_concern):
    concern = log_concern("staff_conduct", staff=[personas.office])
    html = client_for(personas.staff).get(detail_url(personas, concern)).content.decode()
    assert personas.office.get_full_name() not in html
    assert "Do not discuss it with the member of staff concerned." in html


def test_it_says_what_happens_next_and_repeats_the_999_message_until_acknowledged(
    personas, client_for, log_concern
):
    concern = log_concern("nudes", immediate_risk=True)
    client = client_for(personas.staff)
    html = client.get(detail_url(personas, concern)).content.decode()
    assert "Call 999 now and tell the DSL in person." in html
    assert "The designated safeguarding lead (DSL) and the deputies have been alerted." in html
    assert "within 10 minutes" in html  # the school's time for a child at immediate risk
    assert "Tell the DSL in person now." in html  # they said they had not
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    html = client.get(detail_url(personas, concern)).content.decode()
    assert "Call 999 now" not in html
    assert "It has been acknowledged and is being dealt with." in html


def test_it_answers_404_for_someone_elses_concern(personas, client_for, log_concern):
    theirs = log_concern("cyberbullying", actor=personas.office)
    for user in (personas.staff, personas.dsl, personas.head):
        r = client_for(user).get(detail_url(personas, theirs))
        assert r.status_code == 404
    assert reads("concern_status.read") == []


def test_it_answers_404_for_another_schools_concern_under_this_school(personas, client_for):
    elsewhere_pupil = PupilFactory(school=personas.other_school)
    theirs = services.concern_log(
        actor=personas.other_dsl,
        school=personas.other_school,
        category="cyberbullying",
        occurred_at=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC),
        location="",
        what_happened="Elsewhere.",
        pupils=[services.InvolvedPupil(elsewhere_pupil, PupilRole.AFFECTED)],
    )
    r = client_for(personas.staff).get(detail_url(personas, theirs))
    assert r.status_code == 404
    # And another school's DSL gets nothing from this school's pages, even for their own.
    r = client_for(personas.other_dsl).get(detail_url(personas, theirs))
    assert r.status_code == 404


@pytest.mark.parametrize("who", ["governor", "chair", "parent"])
def test_it_refuses_governors_and_parents(personas, client_for, who, worked):
    client = client_for(getattr(personas, who))
    assert client.get(mine_url(personas)).status_code == 403
    assert client.get(detail_url(personas, worked)).status_code == 403


@pytest.mark.parametrize("role", sorted(EMPLOYED))
def test_it_shows_each_employed_role_its_own_list(personas, client_for, log_concern, role):
    own = log_concern("misuse", actor=personas.for_role(role))
    r = client_for(personas.for_role(role)).get(mine_url(personas))
    assert list(r.context["page"]) == [own]
    assert client_for(personas.for_role(role)).get(detail_url(personas, own)).status_code == 200


def test_it_audits_each_read(personas, client_for, log_concern, worked):
    second = log_concern("misuse")
    client = client_for(personas.staff)
    client.get(mine_url(personas))
    assert sorted(reads("concern_status.read")) == sorted([worked.reference, second.reference])
    client.get(detail_url(personas, worked))
    event = AuditEvent.objects.filter(action="concern_status.read").latest("id")
    assert event.actor == personas.staff
    assert event.object_code == str(worked.code)
    assert event.summary == worked.reference


def audit_queries() -> int:
    """Writing the audit events of a page, however many: on PostgreSQL one statement
    (audit_append: the school's chain lock, its head, the hashes and the insert); on SQLite the
    chain's last hash and one insert. Inside a transaction (the test's) the write takes no
    savepoint of its own."""
    return 1 if connection.vendor == "postgresql" else 2


def test_it_keeps_the_same_number_of_queries_for_the_list(
    personas, client_for, log_concern, django_assert_num_queries
):
    client = client_for(personas.staff)
    url = mine_url(personas)
    # Session, user, memberships, count, the page; then every row's read audited in one go.
    expected = 5 + audit_queries()
    log_concern("misuse")
    with django_assert_num_queries(expected):
        r = client.get(url)
    assert len(r.context["page"]) == 1
    for _ in range(11):
        log_concern("misuse")
    with django_assert_num_queries(expected):
        r = client.get(url)
    assert len(r.context["page"]) == 12


def test_it_keeps_the_same_number_of_queries_for_one_concern(
    personas, client_for, log_concern, django_assert_num_queries
):
    client = client_for(personas.staff)
    # One of each against many of each (an empty list would skip its prefetch altogether).
    small = log_concern("misuse", staff=[personas.office])
    big = log_concern(
        "staff_conduct",
        pupils=[
            services.InvolvedPupil(PupilFactory(school=personas.school), PupilRole.WITNESS)
            for _ in range(8)
        ],
        staff=[personas.office, personas.online_safety_lead],
    )
    for concern in (small, big):
        # Session, user, memberships, the concern; then the audit event. Its pupils, staff and
        # evidence are not loaded at all.
        with django_assert_num_queries(4 + audit_queries()):
            client.get(detail_url(personas, concern))


# Adding information: append-only, for the DSL, never shown back.


def add_url(personas, concern) -> str:
    return reverse("incidents:my_concern_add", args=[personas.school.code, concern.code])


def test_it_adds_what_i_learn_since_for_the_dsl_and_never_shows_it_back(
    personas, client_for, worked
):
    client = client_for(personas.staff)
    before = list(worked.entries.values_list("pk", "text"))
    Message.objects.all().delete()
    r = client.post(add_url(personas, worked), {"text": "  She says it started again today.  "})
    assert r.status_code == 302
    assert r["Location"] == detail_url(personas, worked)
    # A new entry; every earlier one as it was.
    entries = list(worked.entries.order_by("at", "id"))
    assert [(e.pk, e.text) for e in entries[:-1]] == before
    added = entries[-1]
    assert added.kind == EntryKind.NOTE
    assert added.author == personas.staff
    assert added.text == (
        "Added by the person who logged the concern: She says it started again today."
    )
    event = AuditEvent.objects.filter(action="concern.information_added").get()
    assert event.actor == personas.staff
    assert event.object_code == str(worked.code)
    assert "started again" not in event.summary
    # Those who were alerted to it are told there is more, with no child's name or narrative.
    assert set(Message.objects.values_list("to_email", flat=True)) == {
        personas.dsl.email,
        personas.deputy_dsl.email,
    }
    for message in Message.objects.all():
        assert "started again" not in message.subject + message.body
    # The reporter is thanked, and does not see it again.
    html = client.get(r["Location"]).content.decode()
    assert f"what you added to {worked.reference} is with the DSL" in html
    assert "started again" not in html
    # The DSL reads it on the concern's timeline.
    html = (
        client_for(personas.dsl)
        .get(reverse("incidents:detail", args=[personas.school.code, worked.code]))
        .content.decode()
    )
    assert "Added by the person who logged the concern: She says it started again today." in html


def test_it_says_what_to_fix_and_keeps_what_was_typed(personas, client_for, worked):
    client = client_for(personas.staff)
    r = client.post(add_url(personas, worked), {"text": "   "})
    assert r.status_code == 200
    assert r.context["form"].errors["text"] == ["Write what you want to add."]
    long = "More. " * 4000
    r = client.post(add_url(personas, worked), {"text": long})
    assert r.context["form"].errors["text"] == [
        "This is 23,999 characters long: keep it to 20,000. Write the facts the DSL needs now; "
        "they will ask you for more."
    ]
    assert long.strip() in r.content.decode()
    assert not AuditEvent.objects.filter(action="concern.information_added").exists()
    assert "Added by" not in "".join(worked.entries.values_list("text", flat=True))


def test_it_takes_no_more_information_on_a_closed_concern(personas, client_for, worked):
    Concern.objects.filter(pk=worked.pk).update(
        status=Status.CLOSED,
        closed_at=timezone.now(),
        outcome="Handled.",
        lessons_learnt="None.",
        parents_informed=True,
    )
    client = client_for(personas.staff)
    html = client.get(detail_url(personas, worked)).content.decode()
    assert "Add information" not in html
    assert "If something new happens, log a new concern." in html
    r = client.post(add_url(personas, worked), {"text": "Late news."})
    assert r.context["form"].errors["text"] == [
        "This concern has been closed. If something new has happened, log a new concern."
    ]
    assert not worked.entries.filter(text__contains="Late news.").exists()


def test_only_the_reporter_adds_information(personas, client_for, worked):
    for user in (personas.office, personas.dsl, personas.head):
        r = client_for(user).post(add_url(personas, worked), {"text": "Not mine to add."})
        assert r.status_code == 404
    with pytest.raises(services.ConcernError):
        services.concern_add_information(actor=personas.dsl, concern=worked, text="Not mine.")
    assert not worked.entries.filter(text__contains="Not mine").exists()
