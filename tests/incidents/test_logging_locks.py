"""Logging a concern locks the school row without blocking the inserts that point at the school
(issue 9's load test: a FOR UPDATE there deadlocked against the audit chain's lock)."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from esafety.people.models import School
from incidents import services
from tests.factories import PupilFactory

pytestmark = pytest.mark.postgres


def _log_holding(personas, logged: threading.Event, release: threading.Event, out: list) -> None:
    try:
        with transaction.atomic():
            concern = services.concern_log(
                actor=personas.staff,
                school=School.objects.get(pk=personas.school.pk),
                category="cyberbullying",
                occurred_at=timezone.now(),
                location="",
                what_happened="Unkind messages.",
                pupils=[],
            )
            out.append(concern.number)
            logged.set()
            release.wait(10)
    except BaseException as e:  # pragma: no cover - reported by the test
        out.append(e)
        logged.set()
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_an_open_concern_log_does_not_block_an_insert_pointing_at_the_school(personas):
    logged, release = threading.Event(), threading.Event()
    out: list = []
    # The concern's transaction, and its locks, stay open until released.
    holder = threading.Thread(target=_log_holding, args=(personas, logged, release, out))
    holder.start()
    try:
        assert logged.wait(10)
        assert out == [1], out
        with connection.cursor() as cursor:
            # Wait at most two seconds for the key-share lock a pupil's insert takes.
            cursor.execute("SET lock_timeout = '2s'")
        PupilFactory(school=personas.school)
    finally:
        release.set()
        holder.join(10)


@pytest.mark.django_db(transaction=True)
def test_two_concerns_logged_at_once_get_the_next_numbers(personas):
    """The second waits for the first's lock on the school, then reads the number the first
    committed (concern_next_number's two statements): never the same number twice."""
    first_logged, second_logged, release = threading.Event(), threading.Event(), threading.Event()
    first: list = []
    second: list = []
    holder = threading.Thread(target=_log_holding, args=(personas, first_logged, release, first))
    holder.start()
    assert first_logged.wait(10)
    go_on = threading.Event()
    go_on.set()  # the second commits as soon as it has logged
    waiter = threading.Thread(target=_log_holding, args=(personas, second_logged, go_on, second))
    waiter.start()
    # The second is waiting on the school's row: it has logged nothing yet.
    assert not second_logged.wait(0.5)
    release.set()
    holder.join(10)
    assert second_logged.wait(10)
    waiter.join(10)
    assert first == [1] and second == [2], (first, second)
