"""A database that cannot be reached answers 503 with a page saying that nothing was saved.

Django's bare "Server Error (500)" left a teacher who had just logged a concern believing it was
recorded. The page says plainly that it was not and what to do now, shows nothing of the error,
needs no database itself, and the next request after the database is back works again.
"""

import runpy
import socket

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.test import Client
from django.urls import reverse

import esafety.settings
from incidents import services as incident_services
from incidents.models import Concern
from tests.factories import PupilFactory
from tests.incidents.helpers import form_data

BACKEND = "django.contrib.auth.backends.ModelBackend"
ERROR_TEXT = 'connection to server at "127.0.0.1", port 9 failed: Connection refused'


def assert_not_saved_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"]
    text = response.content.decode()
    assert "nothing was saved" in text
    assert "has <strong>not</strong> been recorded" in text
    assert "Tell the designated safeguarding lead (DSL) in person now" in text
    assert "Try again in a few minutes" in text
    # No trace of the error, and nothing that needed the database (no user, no school).
    for leak in ("OperationalError", "Connection refused", "Traceback", "port 9", "Oakfield"):
        assert leak not in text


@pytest.fixture
def database_down(db, monkeypatch):
    """From now on, every attempt to reach the database is refused, as when PostgreSQL is down.

    The test's own connection stays open underneath (it holds the test's transaction), so both
    ways in are refused: opening a connection and reusing a kept one after its health check.
    """
    connection = connections[DEFAULT_DB_ALIAS]

    def refused(*args, **kwargs):
        raise OperationalError(ERROR_TEXT)

    def down():
        monkeypatch.setattr(connection, "ensure_connection", refused)
        monkeypatch.setattr(connection, "is_usable", lambda: False)
        monkeypatch.setattr(connection, "health_check_done", False)
        # Closing would end the test's transaction: the health check only notes the failure.
        monkeypatch.setattr(connection, "close", lambda: None)

    yield down
    # Back before the test database is rolled back and closed.
    monkeypatch.undo()


def test_the_dashboard_answers_503_and_the_next_request_works(
    personas, client_for, database_down, monkeypatch
):
    client = client_for(personas.dsl)
    url = reverse("incidents:dashboard", args=[personas.school.code])
    assert client.get(url).status_code == 200

    database_down()
    assert_not_saved_page(client.get(url))

    monkeypatch.undo()  # the database is back
    assert client.get(url).status_code == 200


def test_a_concern_sent_while_the_database_is_down_is_not_saved_and_says_so(
    personas, client_for, database_down, monkeypatch
):
    pupil = PupilFactory(school=personas.school)
    client = client_for(personas.staff)
    url = reverse("incidents:new", args=[personas.school.code])

    database_down()
    assert_not_saved_page(client.post(url, form_data(pupil)))

    monkeypatch.undo()
    assert not Concern.objects.exists()
    r = client.post(url, form_data(pupil))
    assert r.status_code == 302
    assert Concern.objects.count() == 1


def test_signing_in_answers_503_but_the_sign_in_page_still_shows(personas, client, database_down):
    database_down()
    # Anonymous, with no session to read: the page needs no database.
    assert client.get("/accounts/login/").status_code == 200
    r = client.post("/accounts/login/", {"login": personas.staff.email, "password": "x" * 12})
    assert_not_saved_page(r)


def test_a_database_lost_in_the_middle_of_a_request_answers_503(
    personas, client_for, database_down, monkeypatch
):
    pupil = PupilFactory(school=personas.school)

    def lost(**kwargs):
        database_down()
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(incident_services, "concern_log", lost)
    r = client_for(personas.staff).post(
        reverse("incidents:new", args=[personas.school.code]), form_data(pupil)
    )
    assert_not_saved_page(r)


def test_a_database_error_from_a_database_that_answers_stays_an_ordinary_error(
    personas, client_for, monkeypatch
):
    # A lock timeout is not an outage: the 503 page would wrongly blame the database being away.
    def timed_out(**kwargs):
        raise OperationalError("canceling statement due to lock timeout")

    monkeypatch.setattr(incident_services, "concern_log", timed_out)
    with pytest.raises(OperationalError):
        client_for(personas.staff).post(
            reverse("incidents:new", args=[personas.school.code]),
            form_data(PupilFactory(school=personas.school)),
        )


@pytest.fixture
def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


@pytest.mark.postgres
def test_an_unreachable_postgresql_answers_503_and_recovers_when_it_is_back(
    transactional_db, personas, closed_port
):
    dsl, staff = Client(), Client()
    dsl.force_login(personas.dsl, backend=BACKEND)
    staff.force_login(personas.staff, backend=BACKEND)
    url = reverse("incidents:dashboard", args=[personas.school.code])
    assert dsl.get(url).status_code == 200
    connection = connections[DEFAULT_DB_ALIAS]
    real = dict(connection.settings_dict)
    try:
        # PostgreSQL "goes away": the kept connection is dropped and the address answers no more.
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port))
        assert_not_saved_page(dsl.get(url))
        assert_not_saved_page(
            staff.post(reverse("incidents:new", args=[personas.school.code]), form_data())
        )
    finally:
        connection.close()
        connection.settings_dict.update(real)
    # It is back: the next request opens a new connection by itself.
    assert dsl.get(url).status_code == 200
    assert staff.get(reverse("incidents:new", args=[personas.school.code])).status_code == 200


def test_a_kept_postgresql_connection_is_checked_before_it_is_reused(monkeypatch):
    # Without the health check a connection kept from before a restart would fail the next
    # request; with it, Django reconnects, and the middleware's 503 covers the time it is away.
    monkeypatch.setenv("DATABASE_URL", "postgres://esafety@127.0.0.1:9/esafety")
    database = runpy.run_path(esafety.settings.__file__)["DATABASES"]["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] is not None  # None would keep a connection for ever
    assert "esafety.middleware.DatabaseUnavailableMiddleware" in esafety.settings.MIDDLEWARE
