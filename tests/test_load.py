"""The load test (benchmarks/load/run.py, `make load`) runs end to end in a tiny mode: a small
scale school in a database of its own, gunicorn under the production settings, Locust at 2
requests a second for 5 seconds. It proves the harness works and that every request the mix
makes succeeds; it asserts nothing about time (`make load` is for that)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from benchmarks.load.signin import totp_code

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parent.parent
SMOKE_DATABASE = "esafety_load_smoke"


def _database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def test_it_signs_in_with_the_code_allauth_expects():
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    at = time.time()
    assert totp_code(secret, at) == format_hotp_value(hotp_value(secret, int(at) // 30))


def test_it_runs_the_whole_load_test_with_no_error(tmp_path):
    report = tmp_path / "report.json"
    url = _database_url(SMOKE_DATABASE)
    try:
        done = subprocess.run(
            [
                sys.executable,
                "benchmarks/load/run.py",
                "--fresh",
                "--pupils=60",
                "--concerns=20",
                "--audit-events=200",
                "--rate=2",
                "--duration=5",
                # The flat-out run is the same code with no pause; the steady one is enough here.
                "--flat-out=0",
                f"--json={report}",
            ],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        with psycopg.connect(_database_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{SMOKE_DATABASE}" WITH (FORCE)')
    assert done.returncode == 0, done.stdout + done.stderr
    (steady,) = json.loads(report.read_text())
    rows = {row["page"]: row for row in steady["rows"]}
    assert rows["all requests"]["requests"] >= 5
    assert rows["all requests"]["errors"] == 0
    assert steady["failures"] == []
    assert all(row["p50"] is not None for row in rows.values())
    assert "steady 2 req/s for 5 s" in done.stdout
