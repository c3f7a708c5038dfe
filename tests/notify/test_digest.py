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
