"""Personas and server checks shared by the whole suite.

Personas (one school, one of each role, and an outsider who is the DSL of another school) come
from here so every test speaks of the same people.
"""

import os
from dataclasses import dataclass

import pytest
from django.db import connection

from esafety.people.access import is_privileged
from esafety.people.models import Role, School, User
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, enrol_totp

# CI sets this: a test marked postgres or redis then fails instead of skipping when the server
# is missing, so a green run cannot hide an untested trigger or broker.
REQUIRE_SERVERS = os.environ.get("ESAFETY_REQUIRE_SERVERS") == "1"


def redis_url() -> str | None:
    for name in ("ESAFETY_TEST_REDIS_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        value = os.environ.get(name, "")
        if value.startswith("redis://"):
            return value
    return None


def _missing(reason: str) -> None:
    if REQUIRE_SERVERS:
        pytest.fail(f"{reason} (ESAFETY_REQUIRE_SERVERS=1: this must not be skipped)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _servers_for_markers(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL")
    if request.node.get_closest_marker("redis"):
        url = redis_url()
        if url is None:
            _missing("needs Redis: set CELERY_BROKER_URL or ESAFETY_TEST_REDIS_URL")
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError as e:
            _missing(f"Redis at {url} does not answer: {e}")


@pytest.fixture(autouse=True)
def _isolate(settings, tmp_path):
    from esafety.notify import dispatch

    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "private"
    dispatch.reset()
    yield
    dispatch.reset()


@pytest.fixture(scope="session", autouse=True)
def _flush_past_append_only_triggers(django_db_setup, django_db_blocker):
    """Let Django's test flush empty the append-only tables on PostgreSQL.

    Transactional tests (live_server, transactional_db) end with a TRUNCATE of every table, which
    the append-only triggers (the audit trail, concern timelines, acceptances) rightly refuse.
    Only the suite's own flush disables them around it; the triggers' tests run without this.
    """
    if connection.vendor != "postgresql":
        yield
        return
    ops = type(connection.ops)
    original = ops.execute_sql_flush

    def guarded_tables(cursor) -> list[str]:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND (t.tgname LIKE %s OR t.tgname LIKE %s)",
            ["%append_only%", "audit_auditevent_%"],
        )
        return [row[0] for row in cursor.fetchall()]

    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            tables = guarded_tables(cursor)
            for table in tables:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        try:
            original(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')

    ops.execute_sql_flush = execute_sql_flush
    yield
    ops.execute_sql_flush = original


@dataclass
class Personas:
    school: School
    other_school: School
    staff: User
    dsl: User
    deputy_dsl: User
    online_safety_lead: User
    head: User
    office: User
    governor: User
    chair: User
    parent: User
    other_dsl: User  # the DSL of another school: an outsider here
    nobody: User  # signed in, member of no school

    def for_role(self, role: str) -> User:
        return getattr(self, role)


def make_member(school: School, role: str, email: str, full_name: str, **kw) -> User:
    user = UserFactory(email=email, full_name=full_name)
    MembershipFactory(user=user, school=school, role=role, **kw)
    # Whoever the rule says needs a second factor (the chair of governors included) has one.
    if is_privileged(user):
        enrol_totp(user)
    return user


@pytest.fixture
def personas(db) -> Personas:
    school = SchoolFactory(name="Oakfield Primary", urn="100001")
    other = SchoolFactory(name="Birchwood Primary", urn="100002")
    return Personas(
        school=school,
        other_school=other,
        staff=make_member(school, Role.STAFF, "staff@oakfield.test", "Sam Staff"),
        dsl=make_member(school, Role.DSL, "dsl@oakfield.test", "Dana Lead"),
        deputy_dsl=make_member(school, Role.DEPUTY_DSL, "deputy@oakfield.test", "Dev Deputy"),
        online_safety_lead=make_member(
            school, Role.ONLINE_SAFETY_LEAD, "osl@oakfield.test", "Olu Safety"
        ),
        head=make_member(school, Role.HEAD, "head@oakfield.test", "Hal Head"),
        office=make_member(school, Role.OFFICE, "office@oakfield.test", "Ola Office"),
        governor=make_member(school, Role.GOVERNOR, "governor@oakfield.test", "Gita Governor"),
        chair=make_member(
            school, Role.GOVERNOR, "chair@oakfield.test", "Chris Chair", is_chair=True
        ),
        parent=make_member(school, Role.PARENT, "parent@oakfield.test", "Pat Parent"),
        other_dsl=make_member(other, Role.DSL, "dsl@birchwood.test", "Olga Outsider"),
        nobody=UserFactory(email="nobody@example.test", full_name="No School"),
    )


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user (None for anonymous)."""

    def _client(user: User | None):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _client
