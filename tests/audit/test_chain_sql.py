"""verify_audit's walk inside PostgreSQL builds each row's payload in SQL: it must agree with
Python's row_hash wherever it claims a row is intact, and hand every row it cannot vouch for
to Python."""

import datetime

import pytest

from esafety.audit import chain
from esafety.audit.models import GENESIS_HASH, AuditEvent
from tests.audit.helpers import behind_the_triggers_back

pytestmark = pytest.mark.postgres

AT = datetime.datetime(2026, 11, 3, 9, 15, 0, tzinfo=datetime.UTC)

# (summary, ip, actor, whole second): text PostgreSQL's to_json escapes as Python's json does,
# and text it does not (anything outside printable ASCII, which Python writes as \\u escapes).
ROWS = [
    ("plain words", "127.0.0.1", True, True),
    ('a "quoted" word, a back\\slash and a /slash', "2001:db8::1", False, False),
    ("tab\there, a new line\nand a return\r, a bell \x07 and escape \x1b", None, True, False),
    ("", "10.0.0.255", False, True),
]
NOT_ASCII = [
    ("Zoë’s form — “named”", "127.0.0.1", True, False),
    ("a delete character \x7f", None, False, True),
    ("an emoji 🙂", "::1", True, False),
]


@pytest.fixture
def chained(personas) -> list[AuditEvent]:
    made = []
    prev = GENESIS_HASH
    for i, (summary, ip, with_actor, whole) in enumerate(ROWS + NOT_ASCII):
        event = AuditEvent(
            at=AT + datetime.timedelta(minutes=i, microseconds=0 if whole else 1 + i * 1001),
            actor=personas.dsl if with_actor else None,
            actor_label=personas.dsl.email if with_actor else "",
            school=personas.school,
            action=f"test.step{i}",
            object_type="test.thing",
            object_code=f"T-{i}",
            summary=summary,
            request_id="ab" * 16 if i % 2 else "",
            ip=ip,
            prev_hash=prev,
        )
        event.hash = event.compute_hash()
        event.save()
        prev = event.hash
        made.append(event)
    return made


@pytest.fixture
def rechecked(monkeypatch) -> list[int]:
    seen: list[int] = []
    real = chain._rechecked

    def spy(ids, chunk_size):
        seen.extend(ids)
        return real(ids, chunk_size)

    monkeypatch.setattr(chain, "_rechecked", spy)
    return seen


def test_postgresql_vouches_for_the_rows_python_would_and_leaves_the_rest_to_python(
    chained, rechecked
):
    report = chain.chain_report()

    assert report.breaks == []
    assert report.events_per_school[chained[0].school_id] == len(chained)
    assert sorted(rechecked) == [e.pk for e in chained[len(ROWS) :]]


@pytest.mark.parametrize(
    "change",
    [
        "summary = 'Zoe''s form'",  # a row PostgreSQL could not vouch for anyway
        "summary = 'plain  words'",
        "ip = '127.0.0.1/24'",  # the same address, another mask
        "at = at + interval '1 microsecond'",
        "actor_id = NULL",
    ],
)
def test_a_change_to_any_row_is_named(chained, change):
    from django.db import connection

    victim = chained[0] if "Zoe" not in change else chained[len(ROWS)]
    with behind_the_triggers_back(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_auditevent SET {change} WHERE id = %s", [victim.pk])  # noqa: S608

    breaks = chain.chain_report().breaks

    assert [(b.event_id, b.reason) for b in breaks] == [(victim.pk, chain.ALTERED)]
    assert breaks[0].action == victim.action
