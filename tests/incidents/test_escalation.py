"""Escalating a concern nobody has acknowledged: to the next level, once, sooner at immediate
risk, and never to someone told already."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esafety.audit.models import AuditEvent
from esafety.notify.models import Message
from incidents import routing, services
from incidents.models import Concern, EntryKind
from incidents.services import escalation


def test_escalation_goes_to_the_next_level_once_even_when_run_twice(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    concern = log_concern("cyberbullying")
    start = Message.objects.count()
    escalate_unacknowledged()
    assert Message.objects.count() == start  # not due yet
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61), tick=False):
        escalate_unacknowledged()
        escalate_unacknowledged()
    head_alerts = Message.objects.filter(
        to_email=personas.head.email, subject__startswith="Escalated"
    )
    assert head_alerts.count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=125), tick=False):
        escalate_unacknowledged()
        escalate_unacknowledged()
    assert Message.objects.filter(to_email=personas.chair.email).count() == 1
    concern.refresh_from_db()
    assert concern.escalation_level == 2


def test_immediate_risk_escalates_sooner(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    log_concern("online_sexual_abuse", immediate_risk=True)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11), tick=False):
        escalate_unacknowledged()
    assert Message.objects.filter(to_email=personas.head.email).count() == 1


def test_an_acknowledged_concern_is_not_escalated(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    concern = log_concern("cyberbullying")
    services.concern_acknowledge(actor=personas.dsl, concern=concern)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=200), tick=False):
        escalate_unacknowledged()
    assert not Message.objects.filter(subject__startswith="Escalated").exists()


def test_an_escalation_to_someone_who_cannot_open_the_concern_links_to_the_school(
    personas, log_concern
):
    from incidents.tasks import escalate_unacknowledged

    concern = log_concern("cyberbullying")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=125), tick=False):
        escalate_unacknowledged()
    head = Message.objects.get(to_email=personas.head.email, subject__startswith="Escalated")
    chair = Message.objects.get(to_email=personas.chair.email)
    assert head.link == f"/s/{personas.school.code}/concerns/{concern.code}/"
    assert chair.link == f"/s/{personas.school.code}/"
    assert "contact the DSL or the head" in chair.body


def test_the_head_told_at_once_is_not_told_again_by_escalation(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    concern = log_concern("iioc", staff=[personas.office])
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61), tick=False):
        escalate_unacknowledged()
    # The next people on the list after the head: the chair of governors.
    assert Message.objects.filter(to_email=personas.head.email).count() == 1
    assert Message.objects.filter(to_email=personas.chair.email).count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=125), tick=False):
        escalate_unacknowledged()
    assert Message.objects.filter(to_email=personas.chair.email).count() == 1
    concern.refresh_from_db()
    assert concern.escalation_level == 1


# --- A run's queries grow with its batches, not with the concerns waiting (issue 9) ---------


def _queries(run) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = run()
    return len(captured), result


def test_a_run_with_nothing_due_costs_one_query_however_many_concerns_wait(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    for _ in range(3):
        log_concern("cyberbullying")
    few, escalated = _queries(escalate_unacknowledged)
    assert escalated == 0
    for _ in range(30):
        log_concern("cyberbullying")
    assert _queries(escalate_unacknowledged) == (few, 0)
    assert few == 1

    # Escalated to their last level, they are never read again, however long they wait.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=125), tick=False):
        assert escalate_unacknowledged() == 33 * 2
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3), tick=False):
        assert _queries(escalate_unacknowledged) == (few, 0)


def test_escalating_thirty_concerns_costs_what_escalating_three_does(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    def escalate(count: int) -> int:
        concerns = [log_concern("cyberbullying") for _ in range(count)]
        later = timezone.now() + datetime.timedelta(minutes=125)
        with time_machine.travel(later, tick=False):
            queries, escalated = _queries(escalate_unacknowledged)
        assert escalated == count * 2  # the head, then the chair of governors
        for concern in concerns:
            concern.refresh_from_db()
            assert concern.escalation_level == 2
            assert concern.entries.filter(kind=EntryKind.ESCALATED).count() == 2
        assert (
            AuditEvent.objects.filter(
                action="concern.escalated", object_code__in=[str(c.code) for c in concerns]
            ).count()
            == count * 2
        )
        return queries

    few = escalate(3)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=130), tick=False):
        many = escalate(30)
    assert many == few
    assert Message.objects.filter(to_email=personas.head.email).count() == 33
    assert Message.objects.filter(to_email=personas.chair.email).count() == 33


def test_the_levels_counted_in_sql_are_routings(personas, log_concern):
    concerns = [
        log_concern("cyberbullying"),
        log_concern("iioc"),
        log_concern("iioc", staff=[personas.office]),
        log_concern("iioc", staff=[personas.head]),
        log_concern("filtering_breach"),
        log_concern("misuse", staff=[personas.office]),
        log_concern("staff_conduct", staff=[personas.office]),
        log_concern("staff_conduct", staff=[personas.head]),
    ]
    counted = dict(
        escalation._with_levels(Concern.objects.all()).values_list("pk", "escalation_levels")
    )
    assert {c.pk: routing.level_count(c) for c in concerns} == counted
    assert set(counted.values()) == {2, 3}


def test_the_accused_is_never_alerted_by_a_batch(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    # About the head: the chair first, then the DSL; never the head.
    about_head = log_concern("staff_conduct", staff=[personas.head])
    others = [log_concern("cyberbullying") for _ in range(3)]
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=125), tick=False):
        assert escalate_unacknowledged() == 1 + 3 * 2
    about_head.refresh_from_db()
    assert about_head.escalation_level == 1
    head_emails = Message.objects.filter(to_email=personas.head.email)
    assert head_emails.filter(subject__contains=about_head.reference).count() == 0
    assert head_emails.filter(subject__startswith="Escalated").count() == len(others)
    [to_dsl] = Message.objects.filter(
        to_email=personas.dsl.email, subject__contains=about_head.reference
    )
    assert to_dsl.subject.startswith("Escalated")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_concern_another_worker_holds_is_skipped_and_escalated_next_run(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    held, free = log_concern("cyberbullying"), log_concern("cyberbullying")
    locked = threading.Event()
    release = threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Concern.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    later = timezone.now() + datetime.timedelta(minutes=125)
    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # a run that waited would fail here
        with time_machine.travel(later, tick=False):
            assert escalate_unacknowledged() == 2
    finally:
        release.set()
        holder.join(10)
    held.refresh_from_db()
    free.refresh_from_db()
    assert (held.escalation_level, free.escalation_level) == (0, 2)
    with time_machine.travel(later, tick=False):
        assert escalate_unacknowledged() == 2
        assert escalate_unacknowledged() == 0
    held.refresh_from_db()
    assert held.escalation_level == 2
    assert Message.objects.filter(to_email=personas.chair.email).count() == 2


def test_a_batch_alerts_a_level_in_routings_order(personas, log_concern):
    from incidents.tasks import escalate_unacknowledged

    # The online safety lead's route: its second level is the deputy DSL and the head.
    concern = log_concern("filtering_breach")
    expected = [user.email for user in routing.recipients(concern, 1)]
    assert len(expected) == 2
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61), tick=False):
        assert escalate_unacknowledged() == 1
    sent = Message.objects.filter(subject__startswith="Escalated").order_by("id")
    assert [m.to_email for m in sent] == expected


def test_a_trust_s_concerns_escalate_a_school_at_a_time(personas, log_concern, monkeypatch):
    # A batch's queries are per school: batches that mixed schools cost queries for every school
    # in each, so a trust's run grew with its concerns, not its batches.
    from incidents.models import PupilRole
    from incidents.tasks import escalate_unacknowledged
    from tests.conftest import make_member
    from tests.factories import PupilFactory

    other = personas.other_school
    make_member(other, "head", "head@birchwood.test", "Bea Head")
    make_member(other, "governor", "chair@birchwood.test", "Cy Chair", is_chair=True)
    reporter = make_member(other, "staff", "staff@birchwood.test", "Sol Staff")
    their_pupil = PupilFactory(school=other)
    monkeypatch.setattr(escalation, "ESCALATION_BATCH", 2)

    def log_at(school) -> Concern:
        if school == personas.school:
            return log_concern("cyberbullying")
        return services.concern_log(
            actor=reporter,
            school=other,
            category="cyberbullying",
            occurred_at=timezone.now() - datetime.timedelta(hours=1),
            location="Library",
            what_happened="Unkind messages in a group chat.",
            pupils=[services.InvolvedPupil(their_pupil, PupilRole.AFFECTED)],
        )

    def escalate(schools) -> tuple[int, list[list[int]]]:
        concerns = [log_at(school) for school in schools]
        later = timezone.now() + datetime.timedelta(minutes=125)
        with time_machine.travel(later, tick=False):
            batches = escalation._batches(timezone.now())
            queries, escalated = _queries(escalate_unacknowledged)
        assert escalated == len(concerns) * 2  # the head, then the chair of governors
        for concern in concerns:
            concern.refresh_from_db()
            assert concern.escalation_level == 2
        return queries, [[Concern.objects.get(pk=pk).school_id for pk in b] for b in batches]

    one_school, batches = escalate([personas.school] * 4)
    assert batches == [[personas.school.pk] * 2] * 2
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=130), tick=False):
        # Logged in turn, so that batches cut in id order would mix the two schools.
        two_schools, batches = escalate([personas.school, other] * 2)
    assert sorted(batches) == sorted([[personas.school.pk] * 2, [other.pk] * 2])
    assert two_schools == one_school
