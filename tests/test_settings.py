"""The settings refuse a bad or missing value by name, and production passes check --deploy.

Each case starts Django in a fresh process: settings are read once per process, so this is the
only honest way to see what a server does with a given environment.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS = BASE_DIR / "esafety" / "settings.py"
ENV_EXAMPLE = BASE_DIR / ".env.example"

SETUP = "import django; django.setup()"


def settings_variables() -> set[str]:
    source = SETTINGS.read_text()
    return set(re.findall(r"\b(?:env|envbool|envint|required)\(\s*\"([A-Z0-9_]+)\"", source))


def clean_environ(var_dir: Path) -> dict[str, str]:
    """The caller's environment without anything settings.py reads (CI sets DATABASE_URL...)."""
    names = settings_variables()
    # `make test` allows async-unsafe calls for the browser tests; check --deploy rightly refuses
    # that in a deployment, and a deployment is what these processes stand for.
    names.add("DJANGO_ALLOW_ASYNC_UNSAFE")
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in names and not (k.endswith("_FILE") and k[:-5] in names)
    }
    environ["DJANGO_SETTINGS_MODULE"] = "esafety.settings"
    environ["ESAFETY_VAR_DIR"] = str(var_dir)
    return environ


def production_environ(var_dir: Path) -> dict[str, str]:
    # Nothing is contacted at start-up, so addresses on closed ports are enough.
    return {
        **clean_environ(var_dir),
        "ESAFETY_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "esafety.example.org",
        "SITE_URL": "https://esafety.example.org",
        "DEFAULT_FROM_EMAIL": "esafety@example.org",
        "DATABASE_URL": "postgres://esafety@127.0.0.1:9/esafety",
        "CELERY_BROKER_URL": "redis://127.0.0.1:9/0",
        "CACHE_URL": "redis://127.0.0.1:9/1",
    }


def run(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def refusal(result: subprocess.CompletedProcess) -> str:
    """The ImproperlyConfigured message a failed start-up ended with."""
    assert result.returncode != 0, f"started although it should not have:\n{result.stdout}"
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: "), result.stderr
    return last.removeprefix("django.core.exceptions.ImproperlyConfigured: ")


def test_it_starts_with_nothing_set(tmp_path):
    result = run(clean_environ(tmp_path), "-c", SETUP)
    assert result.returncode == 0, result.stderr


def test_it_starts_in_production_with_every_required_value(tmp_path):
    result = run(production_environ(tmp_path), "-c", SETUP)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ESAFETY_ENV", "staging"),
        ("DEBUG", "perhaps"),
        ("EMAIL_PORT", "twenty-five"),
        ("ESAFETY_PRIVILEGED_IDLE_MINUTES", "half an hour"),
        ("DATABASE_URL", "not an address"),
        ("DATABASE_URL", "mysql://esafety@127.0.0.1/esafety"),
        ("CACHE_URL", "memcached://127.0.0.1:11211"),
        ("CELERY_BROKER_URL", "amqp://guest@127.0.0.1//"),
        ("SITE_URL", "esafety.example.org"),
        ("LOG_LEVEL", "LOUD"),
        ("SECRET_KEY_FILE", "/nonexistent/secret"),
    ],
)
def test_it_refuses_a_bad_value_by_name(tmp_path, name, value):
    environ = {**clean_environ(tmp_path), name: value}
    assert name in refusal(run(environ, "-c", SETUP))


@pytest.mark.parametrize(
    "name",
    ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DEFAULT_FROM_EMAIL", "CACHE_URL"],
)
def test_it_refuses_production_without_a_required_value(tmp_path, name):
    environ = production_environ(tmp_path)
    del environ[name]
    assert name in refusal(run(environ, "-c", SETUP))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "short-and-guessable"),
        ("SECRET_KEY", "a" * 60),
        ("ALLOWED_HOSTS", " , "),
        ("SITE_URL", "http://esafety.example.org"),
        ("DEBUG", "true"),
        ("DATABASE_URL", "sqlite:////tmp/esafety.sqlite3"),
        ("CELERY_BROKER_URL", "filesystem://"),
    ],
)
def test_it_refuses_a_bad_production_value_by_name(tmp_path, name, value):
    environ = {**production_environ(tmp_path), name: value}
    assert name in refusal(run(environ, "-c", SETUP))


def test_it_reads_a_secret_from_a_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(secrets.token_urlsafe(50) + "\n")
    environ = production_environ(tmp_path)
    del environ["SECRET_KEY"]
    environ["SECRET_KEY_FILE"] = str(secret)
    script = f"{SETUP}; from django.conf import settings; print(settings.SECRET_KEY)"
    result = run(environ, "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == secret.read_text().strip()


def env_example() -> tuple[dict[str, str], set[str]]:
    """The active NAME=value lines of .env.example, and every name it documents."""
    active, documented = {}, set()
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$", line.strip())
        if match:
            documented.add(match.group(2))
            if not match.group(1):
                active[match.group(2)] = match.group(3)
    return active, documented


def test_it_lists_every_variable_in_env_example():
    _, documented = env_example()
    missing = settings_variables() - documented
    assert not missing, f"settings.py reads these, .env.example does not list them: {missing}"


def test_it_passes_check_deploy_with_the_values_from_env_example(tmp_path):
    active, _ = env_example()
    assert active["ESAFETY_ENV"] == "production"
    names = settings_variables()
    environ = {**clean_environ(tmp_path), **{k: v for k, v in active.items() if k in names}}
    # The blanks are the secrets each installation makes; docker-compose builds DATABASE_URL.
    assert environ["SECRET_KEY"] == ""
    environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    environ["DATABASE_URL"] = "postgres://esafety_app:password@127.0.0.1:9/esafety"
    result = run(environ, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNINGS" not in output


def test_it_serves_the_sign_in_page_with_every_protection_in_production(tmp_path):
    environ = production_environ(tmp_path)
    collected = run(environ, "manage.py", "collectstatic", "--noinput")
    assert collected.returncode == 0, collected.stderr
    script = f"""{SETUP}
from django.test import Client
secure = Client().get("/accounts/login/", secure=True, HTTP_HOST="esafety.example.org")
plain = Client().get("/accounts/login/", HTTP_HOST="esafety.example.org")
print(secure.status_code)
for name in ("Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options",
             "Referrer-Policy", "X-Content-Type-Options"):
    print(name, "=", secure.headers.get(name))
print("csrf-cookie", "=", secure.cookies["csrftoken"].output())
print(plain.status_code, plain.headers.get("Location"))
"""
    result = run(environ, "-c", script)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "200"
    headers = dict(line.split(" = ", 1) for line in lines[1:-1])
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self';" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Secure" in headers["csrf-cookie"]
    assert "HttpOnly" in headers["csrf-cookie"]
    assert lines[-1] == "301 https://esafety.example.org/accounts/login/"


# Messages stay on the server. Django's default keeps them in a "messages" cookie, signed but
# readable by anyone who has the browser: "Successfully signed in as Pat Parent.", "You have
# co-signed … for Ada." on a shared family tablet or in a proxy's log.

MESSAGES_IN_THE_SESSION = "django.contrib.messages.storage.session.SessionStorage"


def cookies_set(*responses) -> dict[str, str]:
    """Every cookie the responses set (Set-Cookie), by name, with the value it was set to."""
    return {name: morsel.value for r in responses for name, morsel in r.cookies.items()}


def assert_no_cookie_tells(cookies: dict[str, str], *words: str) -> None:
    assert "messages" not in cookies
    # The session id and the CSRF token are the only cookies the app sets: random tokens.
    assert set(cookies) <= {"sessionid", "csrftoken"}, cookies
    # Each word has a space, an @ or a hyphen, which no token holds by chance.
    for value in cookies.values():
        for word in words:
            assert word not in value, value


def test_it_keeps_messages_in_the_session(settings):
    assert settings.MESSAGE_STORAGE == MESSAGES_IN_THE_SESSION


@pytest.mark.django_db
def test_it_says_who_signed_in_without_a_cookie_saying_it(personas, client):
    from django.core.cache import cache

    from tests.factories import PASSWORD

    cache.clear()  # allauth's sign-in rate limits live in the cache
    parent = personas.parent
    page = client.get("/accounts/login/")
    signed_in = client.post("/accounts/login/", {"login": parent.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    home = client.get(signed_in.url, follow=True)

    assert f"Successfully signed in as {parent.full_name}." in home.text
    assert_no_cookie_tells(
        cookies_set(page, signed_in, home),
        "signed in",
        parent.full_name,
        parent.email,
    )
    assert "messages" not in client.cookies  # nor on the redirects in between


@pytest.mark.django_db
def test_it_names_the_child_after_a_co_sign_without_a_cookie_naming_them(personas, client_for):
    from django.urls import reverse

    from esafety.people.models import Guardian
    from policies.models import Audience
    from policies.services.library import policy_create
    from tests.factories import PupilFactory
    from tests.policies.conftest import publish_version

    policy = policy_create(
        actor=personas.online_safety_lead,
        school=personas.school,
        title="KS2 pupils' AUP",
        kind="aup",
        owner=personas.online_safety_lead,
        audiences=[Audience.PUPILS_KS2],
        requires_acceptance=True,
    )
    version = publish_version(personas, policy, "1")
    child = PupilFactory(school=personas.school, first_name="Ada", year_group="Year 5")
    Guardian.objects.create(pupil=child, email=personas.parent.email, user=personas.parent)
    client = client_for(personas.parent)
    url = reverse("policies:accept", args=[personas.school.code])

    cosigned = client.post(
        url,
        {"version": version.code, "pupil": child.code, "agree": "on", "typed_name": "Pat Parent"},
    )
    assert cosigned.status_code == 302
    page = client.get(cosigned.url)

    assert "You have co-signed KS2 pupils&#x27; AUP for Ada." in page.text
    assert_no_cookie_tells(cookies_set(cosigned, page), "co-signed", "for Ada")
    assert "messages" not in client.cookies
