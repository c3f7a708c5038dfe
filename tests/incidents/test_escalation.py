"""Escalating a concern nobody has acknowledged: to the next level, once, sooner at immediate
risk, and never to someone told already."""

import datetime

import time_machine
from django.utils import timezone

from esafety.notify.models import Message
from incidents import services


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
