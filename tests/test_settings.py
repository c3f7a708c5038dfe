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
