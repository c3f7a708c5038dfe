"""The load test: gunicorn under the production settings against PostgreSQL and Redis, driven by
Locust on the loopback interface, first at a steady arrival rate, then as fast as it will go.

    make load
    .venv/bin/python benchmarks/load/run.py [--rate 20] [--duration 60] [--flat-out 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python benchmarks/load/run.py

It creates the database if it is missing (default esafety_load; --fresh drops it first),
migrates it, seeds one school with seed_scale at the issue's 10x size (2,000 pupils, 1,000
concerns, 100,000 audit events; --seed demo for seed_demo) unless it is seeded already, collects
the static files when they have changed, signs the DSL and a member of staff in once through the
sign-in pages (second factor included), warms each page up, then runs Locust headless:

1. steady: --rate requests a second for --duration seconds: --rate × 10 simulated people, each
   clicking every ten seconds (Locust's constant_throughput), started at --rate people a second
   so the arrivals are steady from the first second (each person waits for a page before the
   next click, so the rate holds while pages answer within 10 s; req/s says what was reached);
2. flat out: --flat-out-users people who never pause, for --flat-out seconds.

It prints, for each run and each page, the requests, errors, p50, p95 and p99 in milliseconds
and the requests a second, and exits 1 if any request failed. gunicorn (2 sync workers, bound
to 127.0.0.1 on a free port) and Locust are stopped however the script ends. The production
profile is used as it is (HTTPS redirect, HSTS, Secure cookies): Locust plays the TLS proxy's
part and says X-Forwarded-Proto: https, as the proxy in front of gunicorn does.
"""

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from signin import PROXY_HEADERS, sign_in  # noqa: E402

PYTHON = sys.executable
TOTAL = "all requests"
BIN = Path(PYTHON).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/esafety_load"
# The load test's own Redis databases (cache, broker), emptied before and after each run.
DEFAULT_REDIS = "redis://127.0.0.1:6379"
CACHE_DB, BROKER_DB = 11, 12
START_TIMEOUT = 30
# The server's var/ (collected static files, uploads), kept between runs: collecting and
# compressing the static files takes longer than a short run, so it is done when they change.
VAR_DIR = ROOT / "var" / "load"
STEP_TIMEOUT = 600


class LoadTestFailed(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description="The esafety load test (see the docstring).")
    parser.add_argument("--rate", type=float, default=20, help="steady requests a second")
    parser.add_argument("--duration", type=int, default=60, help="seconds of the steady run")
    parser.add_argument("--flat-out", type=int, default=30, help="seconds of the flat-out run")
    parser.add_argument("--flat-out-users", type=int, default=20, help="people never pausing")
    # The "10x demo school"; --seed demo seeds the demo school with --pupils instead.
    parser.add_argument("--seed", choices=["scale", "demo"], default="scale")
    parser.add_argument("--pupils", type=int, default=2000, help="pupils of the seeded school")
    parser.add_argument("--concerns", type=int, default=1000, help="concerns (scale only)")
    parser.add_argument("--audit-events", type=int, default=100_000, help="(scale only)")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not 0 < args.rate <= 200 or not 0 < args.duration <= 600 or not 0 <= args.flat_out <= 600:
        parser.error("--rate must be in (0, 200], --duration in (0, 600], --flat-out in [0, 600]")

    # SIGTERM (a CI timeout, kill) ends the script through the finally below, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="esafety-load-"))
    children: list[subprocess.Popen] = []
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    redis_url = os.environ.get("LOAD_REDIS_URL") or DEFAULT_REDIS
    try:
        results = run(args, work, children, database_url, redis_url)
    except LoadTestFailed as e:
        print(f"error: load test failed: {e}", file=sys.stderr)
        return 2
    finally:
        for child in reversed(children):
            stop(child)
        try:
            empty_redis(redis_url)
        except LoadTestFailed as e:
            print(f"warning: {e}", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    errors = sum(row["errors"] for run in results for row in run["rows"] if row["page"] == TOTAL)
    if errors:
        print(f"error: {errors} request(s) failed", file=sys.stderr)
        return 1
    return 0


def run(args, work: Path, children: list, database_url: str, redis_url: str) -> list[dict]:
    started = time.monotonic()
    base_env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ESAFETY_VAR_DIR": str(VAR_DIR),
        "CELERY_BROKER_URL": f"{redis_url}/{BROKER_DB}",
        "PYTHONUNBUFFERED": "1",
    }
    # The seed and the fixture run outside production (seed_demo refuses it); the server in it.
    dev_env = {**base_env, "ESAFETY_ENV": "development", "CACHE_URL": f"{redis_url}/{CACHE_DB}"}
    dev_env.pop("SECRET_KEY", None)
    empty_redis(redis_url)
    prepare_database(database_url, fresh=args.fresh)
    step("migrate", [PYTHON, "manage.py", "migrate", "--noinput"], dev_env, work)
    seeded = step(
        "look for the seeded school",
        [PYTHON, str(HERE / "fixture.py"), f"--seed={args.seed}"],
        dev_env,
        work,
        check=False,
    )
    if seeded is None:
        t = time.monotonic()
        print(f"Seeding: manage.py {' '.join(seed_command(args))}", flush=True)
        step(args.seed, [PYTHON, "manage.py", *seed_command(args)], dev_env, work)
        seed = f"{' '.join(seed_command(args))} (seeded in {time.monotonic() - t:.0f} s)"
    else:
        seed = "seeded by an earlier run, with the concerns its runs logged (--fresh seeds again)"
        print(f"The school is seeded already ({args.seed}): not seeding.", flush=True)
    fixture = json.loads(
        seeded
        or step("fixture", [PYTHON, str(HERE / "fixture.py"), f"--seed={args.seed}"], dev_env, work)
    )

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    prod_env = {
        **base_env,
        "ESAFETY_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "DEFAULT_FROM_EMAIL": "esafety-load@example.org",
        "CACHE_URL": f"{redis_url}/{CACHE_DB}",
    }
    # `make test` sets this for the browser tests' live server; production must never have it
    # (check --deploy refuses it), so the server runs without it whoever started the run.
    prod_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    collect_static(dev_env, prod_env, work)
    step(
        "check --deploy",
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        prod_env,
        work,
    )
    gunicorn_log = work / "gunicorn.log"
    children.append(
        spawn(
            [
                str(BIN / "gunicorn"),
                "esafety.wsgi",
                f"--workers={args.workers}",
                f"--bind=127.0.0.1:{port}",
                "--timeout=60",
                "--graceful-timeout=5",
            ],
            prod_env,
            gunicorn_log,
        )
    )
    wait_until_up(base_url, children[-1], gunicorn_log)
    print(f"gunicorn ({args.workers} sync workers, production settings) on {base_url}", flush=True)

    fixture["sessions"] = {}
    for name, person in fixture["personas"].items():
        try:
            fixture["sessions"][name] = sign_in(
                base_url, person["email"], fixture["password"], person["totp_secret"]
            )
        except Exception as e:  # SignInFailed or a connection error: either way, stop here
            raise LoadTestFailed(f"signing in as {name}: {e}\n{tail(gunicorn_log)}") from e
    fixture_path = work / "fixture.json"
    fixture_path.write_text(json.dumps(fixture))
    warm_up(base_url, fixture)
    print(f"ready in {time.monotonic() - started:.0f} s", flush=True)

    users = max(1, round(args.rate * 10))
    runs = [
        locust(
            f"steady {args.rate:g} req/s for {args.duration} s ({users} people, one click "
            "every 10 s each)",
            base_url,
            fixture_path,
            work,
            children,
            users=users,
            spawn_rate=args.rate,
            user_rps=args.rate / users,
            seconds=args.duration,
        )
    ]
    if args.flat_out:
        runs.append(
            locust(
                f"flat out for {args.flat_out} s ({args.flat_out_users} people, no pause)",
                base_url,
                fixture_path,
                work,
                children,
                users=args.flat_out_users,
                spawn_rate=args.flat_out_users,
                user_rps=0,
                seconds=args.flat_out,
            )
        )
    if children[0].poll() is not None:
        raise LoadTestFailed(f"gunicorn died during the run\n{tail(gunicorn_log)}")
    if any(entry["failures"] for entry in runs):
        print(f"\nThe server's log ends:\n{tail(gunicorn_log)}", file=sys.stderr)
    for entry in runs:
        entry["seed"] = seed
    return runs


def collect_static(dev_env: dict, prod_env: dict, work: Path) -> None:
    """Production serves hashed static files from a manifest, so it needs collectstatic: run when
    a static file has changed since the last run collected them (or none has been)."""
    fingerprint = step(
        "fingerprint the static files",
        [PYTHON, "manage.py", "shell", "-c", STATIC_FINGERPRINT],
        dev_env,
        work,
    )
    stamp = VAR_DIR / "static" / ".load-fingerprint"
    if stamp.exists() and stamp.read_text() == fingerprint:
        print("  collectstatic: the static files are collected already", flush=True)
        return
    step("collectstatic", [PYTHON, "manage.py", "collectstatic", "--noinput"], prod_env, work)
    stamp.write_text(fingerprint)


STATIC_FINGERPRINT = """
import hashlib
from django.contrib.staticfiles.finders import get_finders
files = sorted(
    f"{storage.path(path)} {storage.size(path)} {storage.get_modified_time(path).timestamp()}"
    for finder in get_finders()
    for path, storage in finder.list(["CVS", ".*", "*~"])
)
print(hashlib.sha256("\\n".join(files).encode()).hexdigest())
"""


def seed_command(args) -> list[str]:
    if args.seed == "demo":
        return ["seed_demo", f"--pupils={args.pupils}"]
    return [
        "seed_scale",
        "--schools=1",
        f"--pupils={args.pupils}",
        f"--concerns={args.concerns}",
        f"--audit-events={args.audit_events}",
    ]


def prepare_database(url: str, fresh: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise LoadTestFailed(f"DATABASE_URL must be a PostgreSQL address, not {url!r}")
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists and fresh:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
                print(f"Created the database {name}.", flush=True)
    except psycopg.Error as e:
        raise LoadTestFailed(f"PostgreSQL at {parts.hostname}:{parts.port}: {e}") from e


def empty_redis(url: str) -> None:
    # Only the load test's own databases: the rate limits and the alerts its concerns queued.
    try:
        for db in (CACHE_DB, BROKER_DB):
            redis.Redis.from_url(f"{url}/{db}", socket_connect_timeout=2).flushdb()
    except redis.RedisError as e:
        raise LoadTestFailed(f"Redis at {url}: {e}") from e


def step(what: str, command: list[str], env: dict, work: Path, check: bool = True) -> str | None:
    """Run a command to its end; its output, or None when it failed and check is off."""
    started = time.monotonic()
    try:
        done = subprocess.run(  # noqa: S603 (our own commands, no shell)
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT
        )
    except subprocess.TimeoutExpired as e:
        raise LoadTestFailed(f"{what} took more than {STEP_TIMEOUT} s") from e
    if done.returncode and not check:
        return None
    if done.returncode:
        raise LoadTestFailed(f"{what} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    print(f"  {what}: {time.monotonic() - started:.1f} s", flush=True)
    return done.stdout


def spawn(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        # Its own process group, so stopping it stops its workers too.
        return subprocess.Popen(  # noqa: S603 (our own commands, no shell)
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(child: subprocess.Popen) -> None:
    if child.poll() is not None:
        return
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    except ProcessLookupError:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base_url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise LoadTestFailed(f"gunicorn exited {server.returncode}\n{tail(log)}")
        try:
            answer = requests.get(
                base_url + "/accounts/login/",
                headers=PROXY_HEADERS,
                timeout=2,
                allow_redirects=False,
            )
        except requests.RequestException:
            time.sleep(0.3)
            continue
        if answer.status_code != 200:
            raise LoadTestFailed(
                f"gunicorn answered the sign-in page with HTTP {answer.status_code}\n{tail(log)}"
            )
        return
    raise LoadTestFailed(f"gunicorn did not answer within {START_TIMEOUT} s\n{tail(log)}")


def warm_up(base_url: str, fixture: dict) -> None:
    """Each page twice per worker before timing, so the figures are of a running server and not
    of each worker's first template compilation."""
    school = fixture["school"]
    pages = {
        "dsl": [
            f"/s/{school}/concerns/",
            f"/s/{school}/concerns/all/",
            f"/s/{school}/concerns/{fixture['concerns'][0]}/",
            f"/s/{school}/pupils/{fixture['pupils'][0]}/chronology/",
            f"/s/{school}/audit/",
        ],
        "staff": [f"/s/{school}/", f"/s/{school}/concerns/mine/", f"/s/{school}/concerns/new/"],
    }
    for persona, paths in pages.items():
        cookies = "; ".join(f"{k}={v}" for k, v in fixture["sessions"][persona].items())
        for path in paths * 4:
            answer = requests.get(
                base_url + path,
                headers={**PROXY_HEADERS, "Cookie": cookies},
                allow_redirects=False,
                timeout=60,
            )
            if answer.status_code != 200:
                raise LoadTestFailed(f"warming up, {path} as {persona}: HTTP {answer.status_code}")


def locust(
    title, base_url, fixture_path, work, children, *, users, spawn_rate, user_rps, seconds
) -> dict:
    print(f"\nLocust: {title}...", flush=True)
    prefix = work / f"locust-{len(children)}"
    log = work / f"locust-{len(children)}.log"
    env = {**os.environ, "LOAD_FIXTURE": str(fixture_path), "LOAD_USER_RPS": f"{user_rps:g}"}
    child = spawn(
        [
            str(BIN / "locust"),
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "--only-summary",
            f"--host={base_url}",
            f"--users={users}",
            f"--spawn-rate={spawn_rate:g}",
            f"--run-time={seconds}s",
            "--stop-timeout=30",
            f"--csv={prefix}",
            "--exit-code-on-error=0",
            "--loglevel=WARNING",
        ],
        env,
        log,
    )
    children.append(child)
    load_before = os.getloadavg()[0]
    try:
        child.wait(timeout=seconds + 90)
    except subprocess.TimeoutExpired as e:
        raise LoadTestFailed(f"Locust did not finish within {seconds + 90} s\n{tail(log)}") from e
    if child.returncode:
        raise LoadTestFailed(f"Locust exited {child.returncode}\n{tail(log)}")
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise LoadTestFailed(f"Locust wrote no statistics\n{tail(log)}")
    with stats.open() as f:
        rows = [
            {
                "page": row["Name"] if row["Name"] != "Aggregated" else TOTAL,
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p50": _ms(row["50%"]),
                "p95": _ms(row["95%"]),
                "p99": _ms(row["99%"]),
                "rps": round(float(row["Requests/s"]), 1),
            }
            for row in csv.DictReader(f)
        ]
    failures = []
    failures_csv = Path(f"{prefix}_failures.csv")
    if failures_csv.exists():
        with failures_csv.open() as f:
            failures = [f"{r['Occurrences']}× {r['Name']}: {r['Error']}" for r in csv.DictReader(f)]
    # The machine is shared: the load average says how much else was running (2 cores).
    load = f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    return {"run": title, "rows": rows, "failures": failures, "load": load}


def _ms(value: str) -> int | None:
    return None if value in ("", "N/A") else round(float(value))


def report(results: list[dict]) -> None:
    for entry in results:
        print(f"\n{entry['run']}; {entry['load']}\n  data: {entry['seed']}")
        print(
            f"{'page':<24} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'req/s':>6}"
        )
        for row in entry["rows"]:
            print(
                f"{row['page']:<24} {row['requests']:>8} {row['errors']:>6} "
                f"{_cell(row['p50']):>7} {_cell(row['p95']):>7} {_cell(row['p99']):>7} "
                f"{row['rps']:>6}"
            )
        for failure in entry["failures"]:
            print(f"  failed: {failure}")


def _cell(value: int | None) -> str:
    return "-" if value is None else str(value)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
