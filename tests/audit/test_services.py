import pytest
from django.urls import reverse

from esafety import context
from esafety.audit.chain import chain_breaks
from esafety.audit.models import AuditEvent
from esafety.audit.services import audit_record
from esafety.celery import app as celery_app
from esafety.people.models import Role


@pytest.fixture
def request_from():
    tokens = []

    def _set(ip):
        tokens.append(context.set_request(context.RequestInfo("a" * 32, ip)))

    yield _set
    for token in reversed(tokens):
        context.reset_request(token)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("::ffff:203.0.113.7", "::ffff:203.0.113.7"),
        ("not-an-address", None),
        ("2001:db8::zz", None),
        (None, None),
    ],
)
def test_it_stores_the_address_it_hashed(personas, request_from, given, stored):
    # An address stored differently from how it was hashed would look like tampering.
    request_from(given)
    event = audit_record(actor=personas.dsl, school=personas.school, action="test.ip")
    event.refresh_from_db()
    assert event.ip == stored
    assert chain_breaks() == []


def test_it_records_who_acted_from_where_in_a_request(personas, client_for):
    r = client_for(personas.office).post(
        reverse("people:invitation_list", args=[personas.school.code]),
        {"email": "new@example.org", "role": Role.STAFF},
        REMOTE_ADDR="198.51.100.4",
    )
    assert r.status_code == 302
    event = AuditEvent.objects.get(action="invitation.created")
    assert event.actor == personas.office
    assert event.actor_label == "office@oakfield.test"
    assert event.school == personas.school
    assert event.request_id == r["X-Request-ID"]
    assert event.ip == "198.51.100.4"
    assert event.object_type == "people.invitation"
    assert chain_breaks() == []


def test_it_cuts_a_long_summary_before_hashing(personas):
    event = audit_record(
        actor=personas.dsl, school=personas.school, action="test.long", summary="x" * 900
    )
    event.refresh_from_db()
    assert len(event.summary) == 500
    assert chain_breaks() == []


def test_the_beat_schedule_names_real_tasks():
    celery_app.loader.import_default_modules()
    for name, entry in celery_app.conf.beat_schedule.items():
        if entry["task"].startswith(("esafety.audit.", "esafety.notify.")):
            assert entry["task"] in celery_app.tasks, name
    tasks = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert {"esafety.audit.tasks.verify_chain", "esafety.notify.tasks.sweep_outbox"} <= tasks
