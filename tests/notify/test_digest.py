"""One daily digest per member, composed of every app's lines (issue 8): what is waiting, with
links, never a child's name; once a day however often beat runs it."""

import datetime

import time_machine
from django.utils import timezone

from esafety.notify.digest import digest_send
from esafety.notify.models import Message
from policies.models import Policy, PolicyVersion
from tests.incidents import conftest as incident_fixtures

# The concerns suite's fixtures, shared here.
log_concern = incident_fixtures.log_concern
pupil = incident_fixtures.pupil


def digests_for(user) -> list[Message]:
    return list(Message.objects.filter(kind=Message.Kind.DIGEST, recipient=user))


def overdue_policy(personas):
    today = timezone.localdate()
    policy = Policy.objects.create(
        school=personas.school, title="Staff AUP", kind="aup", owner=personas.head
    )
    PolicyVersion.objects.create(
        policy=policy,
        number="1",
        body="Be kind online.",
        created_by=personas.head,
        status="published",
        effective_date=today - datetime.timedelta(days=400),
        published_at=timezone.now(),
        next_review_due=today - datetime.timedelta(days=35),
        approved_by_body="head",
        approved_by=personas.head,
        approved_on=today - datetime.timedelta(days=400),
    )


def test_it_sends_the_head_one_email_with_every_apps_lines(personas, log_concern, pupil):
    log_concern("cyberbullying")
    log_concern("online_hate")
    overdue_policy(personas)
    assert digest_send(school=personas.school) >= 2
    [head] = digests_for(personas.head)
    assert "2 concerns waiting to be acknowledged" in head.body
    assert "1 policy review overdue" in head.body
    assert pupil.first_name not in head.body and pupil.last_name not in head.body
    [dsl] = digests_for(personas.dsl)
    assert "2 concerns waiting" in dsl.body and "policy review" not in dsl.body
    [osl] = digests_for(personas.online_safety_lead)
    assert "policy review overdue" in osl.body and "concerns waiting" not in osl.body


def test_it_sends_nothing_to_those_with_nothing_waiting(personas, log_concern):
    log_concern("cyberbullying")
    digest_send(school=personas.school)
    for who in (personas.staff, personas.office, personas.governor, personas.parent):
        assert not digests_for(who), who


def test_it_sends_once_a_day_however_often_it_runs(personas, log_concern):
    log_concern("cyberbullying")
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        digest_send(school=personas.school)
        assert digest_send(school=personas.school) == 0
    assert len(digests_for(personas.dsl)) == 1
    with time_machine.travel(now + datetime.timedelta(days=1), tick=False):
        digest_send(school=personas.school)
    assert len(digests_for(personas.dsl)) == 2


def test_it_counts_only_what_the_member_may_open(personas, log_concern):
    # An allegation about the DSL is not "waiting" for the DSL: the digest uses the same selector.
    log_concern("staff_conduct", staff=[personas.dsl])
    digest_send(school=personas.school)
    assert not digests_for(personas.dsl)
    [head] = digests_for(personas.head)
    assert "1 concern waiting" in head.body


def test_the_demo_schools_digest_gathers_every_apps_lines_once_a_day(db):
    # Issue 14: one email a day to the DSL, to the online safety lead, to the office, each
    # listing what needs them from every app (counts and links only, nothing when nothing is
    # due), once however often the task runs.
    import io

    from django.core.management import call_command

    from esafety.people.models import Pupil, School

    call_command("seed_demo", "--pupils", "60", stdout=io.StringIO())
    school = School.objects.get(urn="999001")
    assert digest_send(school=school) >= 3
    assert digest_send(school=school) == 0
    bodies = {
        m.recipient.email.split("@")[0]: m.body
        for m in Message.objects.filter(kind=Message.Kind.DIGEST, school=school)
    }
    assert len(bodies) == Message.objects.filter(kind=Message.Kind.DIGEST).count()
    assert "concerns waiting to be acknowledged" in bodies["dsl"] and "overdue" in bodies["dsl"]
    assert "held as evidence" in bodies["dsl"] and "training record" in bodies["dsl"]
    assert "monitoring report" in bodies["osl"] and "training record" in bodies["osl"]
    assert "concerns waiting" not in bodies["osl"]
    assert "photo take-down" in bodies["office"] and "phone exception review" in bodies["office"]
    assert "concerns waiting" not in bodies["office"]
    names = {n for p in Pupil.objects.filter(school=school) for n in (p.first_name, p.last_name)}
    for body in bodies.values():
        assert not {word.strip(".,:") for word in body.split()} & names


def test_the_schools_lines_are_asked_once_however_many_members_are_told(personas, log_concern):
    """Sources whose lines are the school's (take-downs, phone reviews, policy reviews, lapsed
    training) are asked once: five more office staff add no query. Before, each source ran for
    each member (issue 9: 2,965 queries for 260 members at trust scale)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from esafety.people.models import Role
    from tests.conftest import make_member

    log_concern("cyberbullying")
    overdue_policy(personas)
    day = timezone.localdate()
    with CaptureQueriesContext(connection) as before:
        digest_send(school=personas.school, today=day)
    for i in range(5):
        make_member(personas.school, Role.OFFICE, f"office{i}@oakfield.test", f"Office {i}")
    with CaptureQueriesContext(connection) as after:
        digest_send(school=personas.school, today=day + datetime.timedelta(days=1))
    assert len(after.captured_queries) == len(before.captured_queries)
