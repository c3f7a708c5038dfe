"""Sign-in works while Redis is down, and the lock-out after five failures still holds.

allauth keeps its sign-in rate limits in the cache, and a cache error was a 500: with Redis down
nobody could sign in. The caches here are the ones esafety/settings.py builds for a CACHE_URL
(read from the settings file itself, so this checks the settings, not a copy), pointed at a
port where nothing listens.
"""

import os
import runpy
import socket
import time

import pytest
from django.core.cache import caches
from django.db import connection

import esafety.settings
from tests.conftest import redis_url
from tests.factories import PASSWORD
from tests.people.test_auth import LOCKED, WRONG, sign_in, signed_in_as

# Refused at once; a hung Redis costs at most the settings' half-second socket timeout.
SLOW = 3.0


def _cache_rows() -> int:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(esafety.settings.CACHE_TABLE)
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (the settings' constant)
        return cursor.fetchone()[0]


@pytest.fixture
def caches_for(settings, monkeypatch):
    """caches_for(url): from now on the caches are what settings.py makes of CACHE_URL=url."""

    def point(url: str) -> None:
        monkeypatch.setenv("CACHE_URL", url)
        settings.CACHES = runpy.run_path(esafety.settings.__file__)["CACHES"]

    yield point
    caches["database"].clear()


@pytest.fixture
def redis_down(caches_for):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        caches_for(f"redis://127.0.0.1:{sock.getsockname()[1]}/0")
        yield


def test_it_signs_in_while_redis_is_down(personas, client, redis_down):
    start = time.perf_counter()
    r = sign_in(client, personas.staff.email)
    assert r.status_code == 302
    assert signed_in_as(client) == personas.staff
    assert time.perf_counter() - start < SLOW


def test_it_still_locks_an_email_after_five_failures_while_redis_is_down(
    personas, client, redis_down, settings
):
    for _ in range(5):
        r = sign_in(client, personas.staff.email, WRONG)
        assert r.status_code == 200
        assert LOCKED not in str(r.context["form"].errors)
    # The counts are in the database, which every web process shares...
    assert _cache_rows() > 0
    # ...so another process, with caches of its own, refuses the right password too.
    settings.CACHES = dict(settings.CACHES)
    r = sign_in(client, personas.staff.email, PASSWORD)
    assert r.status_code == 200
    assert LOCKED in str(r.context["form"].errors)
    assert signed_in_as(client) is None
    assert sign_in(client, personas.office.email).status_code == 302


@pytest.mark.redis
def test_it_keeps_the_counts_in_redis_while_redis_answers(personas, client, caches_for):
    # The suite's own cache database (CI's CACHE_URL), never the broker's: clear() empties it.
    caches_for(os.environ.get("CACHE_URL") or redis_url())
    caches["redis"].clear()
    for _ in range(5):
        sign_in(client, personas.staff.email, WRONG)
    assert _cache_rows() == 0
    r = sign_in(client, personas.staff.email, PASSWORD)
    assert LOCKED in str(r.context["form"].errors)
    assert not caches["default"].primary_paused()
    caches["redis"].clear()
