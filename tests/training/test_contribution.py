"""What training adds to the shared surfaces: the daily digest's lines, the beat entry, the
benchmark rows and the home card."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from esafety.celery import app as celery_app
from esafety.contributions import bench_jobs, bench_pages, digest_sources
from esafety.notify.digest import digest_send
from esafety.notify.models import Message
from esafety.people.access import school_access
from tests.training.conftest import pdf
from training.models import Kind, TrainingRecord
from training.services.records import record_add

pytestmark = pytest.mark.django_db


def _lines(personas, who):
    access = school_access(who, personas.school.code)
    today = timezone.localdate()
    return [
        line.text
        for source in digest_sources()
        if access.has(*source.roles)
        for line in source.lines(access, today)
        if line.url_name.startswith("training:")
    ]


def test_the_digest_says_what_waits_to_be_checked_and_what_has_lapsed(personas, courses):
    assert _lines(personas, personas.online_safety_lead) == []
    record_add(
        actor=personas.staff,
        school=personas.school,
        course=courses[Kind.INDUCTION],
        completed_on=timezone.localdate(),
        provider="LA",
        certificate=pdf(),
    )
    TrainingRecord.objects.create(
        school=personas.school,
        course=courses[Kind.DSL_FORMAL],
        person=personas.dsl,
        completed_on=timezone.localdate() - datetime.timedelta(days=800),
        provider="LA",
        added_by=personas.dsl,
        verified_at=timezone.now(),
        verified_by=personas.head,
    )
    assert _lines(personas, personas.online_safety_lead) == [
        "1 training record to check",
        "1 training record has lapsed",
    ]
    # Members who do not check records get no training lines.
    assert _lines(personas, personas.staff) == []
    digest_send(school=personas.school)
    body = Message.objects.get(recipient=personas.online_safety_lead).body
    assert "1 training record to check" in body
    assert personas.staff.full_name not in body


def test_the_reminders_run_every_morning_from_beat():
    entry = celery_app.conf.beat_schedule["training-reminders"]
    assert entry["task"] == "training.tasks.send_training_reminders"
    celery_app.loader.import_default_modules()
    assert entry["task"] in celery_app.tasks


def test_the_matrix_and_the_reminders_have_benchmark_rows():
    assert {"training matrix", "training matrix (governors)"} <= {p.label for p in bench_pages()}
    assert any(j.label.startswith("training reminders") for j in bench_jobs())


def test_the_home_page_links_members_to_their_training(personas, client_for):
    home = reverse("people:school_home", args=[personas.school.code])
    mine = reverse("training:mine", args=[personas.school.code])
    assert mine in client_for(personas.staff).get(home).content.decode()
    assert mine not in client_for(personas.parent).get(home).content.decode()
