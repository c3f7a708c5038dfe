"""A web request never waits on the broker.

The broker is pointed, for one test at a time, at a closed port, at a socket that accepts and
never answers, and (marked redis) at a throwaway redis-server that is down and then comes back,
always with the connection options that esafety/settings.py itself gives a redis:// broker, so
these tests check the settings, not a copy.
"""

import runpy
import shutil
import socket
import subprocess
import threading
import time

import kombu.pools
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connections
from django.urls import reverse

import esafety.settings
from esafety.celery import app as celery_app
from esafety.notify import dispatch, tasks
from esafety.notify.models import Message
from esafety.people.models import Role

# Loose: a hang check, not a benchmark. Connection refused takes ~0.1 s, a hung broker the
# settings' socket_timeout (2 s).
HANG_LIMIT = 5.0


def _settings_for_broker(url: str, monkeypatch) -> dict:
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    ns = runpy.run_path(esafety.settings.__file__)
    return {
        "broker_url": ns["CELERY_BROKER_URL"],
        "broker_transport_options": ns["CELERY_BROKER_TRANSPORT_OPTIONS"],
        "broker_connection_timeout": ns["CELERY_BROKER_CONNECTION_TIMEOUT"],
    }


def _drop_broker_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu.pools.reset()


@pytest.fixture
def point_broker(monkeypatch):
    """point_broker(url): from now on the app publishes to url, configured as settings.py would."""
    conf = celery_app.conf
    keys = ("broker_url", "broker_transport_options", "broker_connection_timeout")
    saved = {key: conf.get(key) for key in keys}

    def point(url: str) -> dict:
        values = _settings_for_broker(url, monkeypatch)
        for key, value in values.items():
            conf[key] = value
        _drop_broker_connections()
        dispatch.reset()
        return values

    yield point
    for key, value in saved.items():
        conf[key] = value
    _drop_broker_connections()


@pytest.fixture
def closed_port():
    # Bound but not listening: connecting is refused at once, and no one else can take the port.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture
def hung_port():
    """A "broker" that accepts connections and never says a word (a frozen Redis)."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    accepted = []
    stop = threading.Event()

    def serve():
        # It gives up after 20 s, so missing timeouts make the test fail rather than hang.
        deadline = time.monotonic() + 20
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(conn)
        for conn in accepted:
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()


@pytest.fixture
def hand_offs(monkeypatch):
    """How many times a hand-off to the broker was attempted."""
    calls = []
    original = tasks.send_message.apply_async

    def apply_async(*args, **kwargs):
        calls.append(None)
        calls[-1] = result = original(*args, **kwargs)  # stays None if it raised
        return result

    monkeypatch.setattr(tasks.send_message, "apply_async", apply_async)
    return calls


def _invite(client, school, email: str) -> tuple[int, float]:
    url = reverse("people:invitation_list", args=[school.code])
    start = time.perf_counter()
    r = client.post(url, {"email": email, "role": Role.PARENT})
    return r.status_code, time.perf_counter() - start


def test_the_settings_make_a_redis_broker_fail_fast(closed_port, monkeypatch):
    values = _settings_for_broker(f"redis://127.0.0.1:{closed_port}/0", monkeypatch)
    options = values["broker_transport_options"]
    assert options["socket_connect_timeout"] <= 2
    assert options["socket_timeout"] <= 2
    assert options["max_retries"] == 0  # one attempt, no retry loop inside the request
    assert values["broker_connection_timeout"] <= 2


def test_it_saves_the_alert_and_returns_when_the_broker_is_down(
    transactional_db, personas, client_for, point_broker, closed_port, hand_offs
):
    point_broker(f"redis://127.0.0.1:{closed_port}/0")
    client = client_for(personas.office)
    client.get(reverse("people:invitation_list", args=[personas.school.code]))  # warm up

    status, elapsed = _invite(client, personas.school, "first.parent@example.org")

    assert status == 302
    message = Message.objects.get()
    assert message.to_email == "first.parent@example.org"
    assert message.sent_at is None and message.claimed_at is None
    assert len(hand_offs) == 1  # it tried once, failed fast...
    assert dispatch.broker_paused()  # ...and stops trying for a while
    assert elapsed < HANG_LIMIT

    status, elapsed = _invite(client, personas.school, "second.parent@example.org")
    assert status == 302
    assert Message.objects.filter(sent_at__isnull=True).count() == 2
    assert len(hand_offs) == 1  # the paused dispatcher did not even try
    assert mail.outbox == []
    assert elapsed < HANG_LIMIT


def test_it_saves_a_new_concern_and_its_alerts_when_the_broker_is_down(
    transactional_db, personas, client_for, point_broker, closed_port, hand_offs
):
    from incidents.models import Concern
    from tests.factories import PupilFactory
    from tests.incidents.helpers import form_data, new_url

    point_broker(f"redis://127.0.0.1:{closed_port}/0")
    pupil = PupilFactory(school=personas.school)
    start = time.perf_counter()
    r = client_for(personas.staff).post(new_url(personas), form_data(pupil))
    assert r.status_code == 302
    assert time.perf_counter() - start < HANG_LIMIT
    concern = Concern.objects.get()
    assert concern.pupil_links.get().pupil == pupil
    # The alerts wait in the outbox for the sweep: tried once, then the dispatcher pauses.
    assert Message.objects.filter(sent_at__isnull=True).count() == 2
    assert len(hand_offs) == 1 and dispatch.broker_paused()


def test_it_returns_within_the_timeout_when_the_broker_hangs(
    transactional_db, personas, client_for, point_broker, hung_port, hand_offs
):
    point_broker(f"redis://127.0.0.1:{hung_port}/0")

    status, elapsed = _invite(client_for(personas.office), personas.school, "p@example.org")

    assert status == 302
    assert len(hand_offs) == 1
    assert elapsed < HANG_LIMIT
    assert dispatch.broker_paused()
    message = Message.objects.get()
    assert message.sent_at is None


@pytest.fixture
def worker_closes_its_connections():
    # The embedded worker runs tasks in its own thread, with its own database connections; they
    # must be closed or the test database cannot be dropped at the end.
    main = threading.current_thread()
    done: list[str] = []

    def after_task(task_id=None, **kwargs):
        if threading.current_thread() is not main:
            connections.close_all()
        done.append(task_id)

    task_postrun.connect(after_task, weak=False)
    yield done
    task_postrun.disconnect(after_task)


def _wait_for(task_ids: list[str], done: list[str], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not set(task_ids) <= set(done):
        assert time.monotonic() < deadline, f"the worker did not run {task_ids} ({done} ran)"
        time.sleep(0.05)


@pytest.fixture
def own_redis():
    """A Redis of this test's own, on a port where nothing listens until start() is called.

    The shared Redis must never be stopped (other suites use it), so the outage and the return
    happen on a throwaway redis-server at the same address, as they would in production.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: the broker-back test cannot run")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    processes = []
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no"]

    def start() -> None:
        processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=port, socket_connect_timeout=0.5).ping()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "the throwaway redis-server did not start"
                time.sleep(0.05)

    yield f"redis://127.0.0.1:{port}/0", start
    for process in processes:
        process.terminate()
        process.wait(10)


@pytest.mark.redis
def test_it_sends_the_alert_once_when_the_broker_is_back(
    transactional_db,
    personas,
    client_for,
    point_broker,
    own_redis,
    hand_offs,
    worker_closes_its_connections,
    monkeypatch,
):
    url, start_redis = own_redis
    monkeypatch.setattr(dispatch, "_PAUSE_SECONDS", 0.5)
    point_broker(url)  # nothing listens there yet: Redis is down
    status, _ = _invite(client_for(personas.office), personas.school, "p@example.org")
    assert status == 302
    message = Message.objects.get()
    assert message.sent_at is None
    assert hand_offs == [None] and dispatch.broker_paused()

    # Redis comes back at the same address, and the pause runs out. Beat's sweep reaches a
    # worker through it, and the dispatcher's own connection pool recovers too, so the message
    # is offered to the worker three times over. It goes out once.
    start_redis()
    time.sleep(0.6)
    assert not dispatch.broker_paused()
    monkeypatch.setitem(celery_app.conf, "worker_hijack_root_logger", False)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=15):
        ids = [tasks.sweep_outbox.apply_async().id]
        assert dispatch.enqueue(tasks.send_message, message.pk) is True
        ids.append(hand_offs[-1].id)
        ids.append(tasks.sweep_outbox.apply_async().id)
        _wait_for(ids, worker_closes_its_connections)

    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 1
    assert [m.to for m in mail.outbox] == [["p@example.org"]]
