"""Time every page a member opens daily against the framework's floor, at 1× and 10×, on PostgreSQL.

    make bench                                   # 60 repetitions, about five minutes
    .venv/bin/python benchmarks/bench_pages.py --repetitions 20 --label before
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/esafety_bench_mine make bench

It drops and re-creates the database DATABASE_URL names (default esafety_bench; its name must
contain "bench", so a real database is never dropped), migrates it, and builds two schools in
bulk: 1× (about the demo school: 200 pupils, 100 concerns, 10,000 audit events) and 10×, with
`manage.py seed_scale` (benchmarks/data.py: one seed_scale school a size, the project's one
scale data set, which the tiny test uses too). Then, in one process and one run:

- every app's pages (the `bench` module its contribution names) and the two floors (a bare
  view rendering base.html for a signed-in member, a bare POST doing one INSERT:
  benchmarks/urls.py) are requested round-robin, at both sizes, `--repetitions` times after
  `--warmup` rounds. The GET pages go first, then the POSTs
  (each logging POST adds an unacknowledged concern, which would grow the dashboards under
  measurement); each phase is interleaved with its own floor;
- only the request is timed (Django's test client, in-process: the middleware, the view, the
  template, the database; no network, no WSGI server). Each client is signed in once, before;
- queries are counted in a separate, untimed pass (counting them slows the request), COMMITs
  included;
- then the background jobs run once each, and again with nothing left to do: escalation,
  policy reminders, the daily digest, the outbox sweep (which sends what the POSTs queued), and
  verify_audit over every audit event (`--verify-events 1000000` tops the table up first).

The Markdown table is printed and written to benchmarks/results/<date>-<time>[-label].md.
The hand-off to Celery is switched off (the outbox sweep sends instead), so no broker is needed.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from esafety.contributions import BenchPage

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/esafety_bench"
RESULTS = ROOT / "benchmarks" / "results"
DATA_SOURCE = "manage.py seed_scale --schools 1 --add, once a size"


def _floor_url(name: str) -> Callable:
    from django.urls import reverse

    return lambda b: reverse(name)


def pages() -> list:
    """The two floors (this benchmark's own URLconf) and every app's pages (its `bench` module,
    named in its contribution: esafety/contributions.py)."""
    from esafety import contributions
    from esafety.contributions import BenchPage
    from esafety.people.models import Role

    floors = [
        BenchPage("floor: base template", Role.DSL, _floor_url("bench_floor_page"), floor=True),
        BenchPage(
            "floor: one INSERT (POST)",
            Role.STAFF,
            _floor_url("bench_floor_insert"),
            "POST",
            lambda b: {},
            floor=True,
        ),
    ]
    return floors + contributions.bench_pages()


@dataclass
class Measured:
    page: BenchPage
    scale: str
    queries: int = 0
    bytes: int = 0
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000 if self.seconds else math.nan

    @property
    def p95_ms(self) -> float:
        if not self.seconds:
            return math.nan
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000


@dataclass
class Job:
    label: str
    seconds: float
    queries: int
    result: str
    # The same job at once again: what a beat run costs with (most of) the work done.
    again_seconds: float
    again_queries: int
    again_result: str


@dataclass
class Report:
    measured: dict[tuple[str, str], Measured]
    scales: list[str]
    jobs: list[Job]
    repetitions_done: int
    stopped_early: bool


def _expected_status(page: BenchPage) -> int:
    return 302 if page.method == "POST" else 200


def _request(client, page: BenchPage, url: str, data: dict | None):
    if page.method == "POST":
        return client.post(url, data or {})
    return client.get(url)


def _clients(schools: dict, page_list: list[BenchPage]) -> dict:
    from django.test import Client

    clients = {}
    for scale, bench in schools.items():
        for role in {p.role for p in page_list}:
            client = Client()
            client.force_login(
                bench.people[role], backend="django.contrib.auth.backends.ModelBackend"
            )
            clients[scale, role] = client
    return clients


@contextmanager
def _counted() -> Iterator[list[int]]:
    """Count every statement sent while inside, COMMITs included; the count is the list's one
    item once the block ends.

    The connection's own query log keeps the last 9,000 statements only: read as
    CaptureQueriesContext reads it, once a run's jobs had sent 9,000 it counted every later job
    as 0. So the log is an unbounded one while counting, and the old one is put back after.
    """
    from collections import deque

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    count = [0]
    kept = connection.queries_log
    connection.queries_log = deque()
    try:
        with CaptureQueriesContext(connection) as queries:
            yield count
        count[0] = len(queries)
    finally:
        connection.queries_log = kept


def _phase(items, clients, measured, repetitions, warmup, deadline) -> tuple[int, bool]:
    """Round-robin over (page, scale) items; returns the repetitions done and whether the time
    limit stopped it first."""

    def one(page, scale, bench, url, timed: bool):
        data = page.data(bench) if page.data else None
        client = clients[scale, page.role]
        started = time.perf_counter()
        response = _request(client, page, url, data)
        elapsed = time.perf_counter() - started
        m = measured[page.label, scale]
        if response.status_code != _expected_status(page):
            m.errors.append(f"{response.status_code} {response.get('Location', '')}")
        elif timed:
            m.seconds.append(elapsed)
        return response

    for _ in range(warmup):
        for page, scale, bench, url in items:
            one(page, scale, bench, url, timed=False)
    for page, scale, bench, url in items:
        with _counted() as queries:
            response = one(page, scale, bench, url, timed=False)
        m = measured[page.label, scale]
        m.queries = queries[0]
        m.bytes = len(response.content)
    done = 0
    for _ in range(repetitions):
        if time.monotonic() > deadline:
            return done, True
        for page, scale, bench, url in items:
            one(page, scale, bench, url, timed=True)
        done += 1
    return done, False


def _job(label: str, run: Callable[[], object]) -> Job:
    def timed() -> tuple[float, int, object]:
        with _counted() as queries:
            started = time.perf_counter()
            result = run()
            elapsed = time.perf_counter() - started
        return elapsed, queries[0], result

    first, first_q, result = timed()
    again, again_q, again_result = timed()
    return Job(label, first, first_q, str(result), again, again_q, str(again_result))


def jobs() -> list[tuple[str, Callable[[], object]]]:
    """Every app's background jobs (its `bench` module), called as plain functions: in-process,
    as a worker would run them, without the broker."""
    from esafety import contributions

    return [(job.label, job.run) for job in contributions.bench_jobs()]


def run(
    schools: dict, *, repetitions: int, warmup: int, time_limit: float, run_jobs: bool = True
) -> Report:
    """Measure every page at every scale in `schools` ({"1×": BenchSchool, ...})."""
    from esafety.notify import dispatch

    # Nothing is handed to a broker: the outbox sweep, timed below, sends what is queued.
    saved_enqueue = dispatch.enqueue
    dispatch.enqueue = lambda task, *args: False
    try:
        page_list = pages()
        clients = _clients(schools, page_list)
        measured = {(p.label, scale): Measured(p, scale) for p in page_list for scale in schools}
        deadline = time.monotonic() + time_limit
        done, stopped = repetitions, False
        for method in ("GET", "POST"):
            items = [
                (p, scale, bench, p.url(bench))
                for p in page_list
                if p.method == method
                for scale, bench in schools.items()
            ]
            phase_done, phase_stopped = _phase(
                items, clients, measured, repetitions, warmup, deadline
            )
            done, stopped = min(done, phase_done), stopped or phase_stopped
        job_rows = [_job(label, fn) for label, fn in jobs()] if run_jobs else []
    finally:
        dispatch.enqueue = saved_enqueue
    return Report(measured, list(schools), job_rows, done, stopped)


def _ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1f}"


def markdown(report: Report, header: list[str]) -> str:
    from esafety.people.models import Role

    scales = report.scales
    floors = {}
    for scale in scales:
        for (_label, s), m in report.measured.items():
            if s == scale and m.page.floor:
                floors[scale, m.page.method] = m.median_ms
    cols = ["page", "role"]
    cols += [f"queries {s}" for s in scales]
    for s in scales:
        cols += [f"median {s} (ms)", f"p95 {s} (ms)", f"× floor {s}"]
    cols += [f"KB {s}" for s in scales]
    lines = [*header, "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    labels = list(dict.fromkeys(label for label, _ in report.measured))
    for label in labels:
        row_by_scale = [report.measured[label, s] for s in scales]
        page = row_by_scale[0].page
        cells = [label, Role(page.role).label]
        cells += [str(m.queries) for m in row_by_scale]
        for m in row_by_scale:
            floor = floors.get((m.scale, page.method), math.nan)
            ratio = m.median_ms / floor if floor and not math.isnan(floor) else math.nan
            cells += [_ms(m.median_ms), _ms(m.p95_ms), "–" if math.isnan(ratio) else f"{ratio:.1f}"]
        cells += [f"{m.bytes / 1024:.1f}" for m in row_by_scale]
        lines.append("| " + " | ".join(cells) + " |")
    errors = [
        f"- {m.page.label} at {m.scale}: {len(m.errors)} bad answer(s), e.g. {m.errors[0]}"
        for m in report.measured.values()
        if m.errors
    ]
    if errors:
        lines += ["", "**Requests that did not answer as expected** (not timed):", *errors]
    if report.jobs:
        lines += [
            "",
            "| background job (every school) | first run (s) | queries | result "
            "| run again at once (s) | queries | result |",
            "|---|---|---|---|---|---|---|",
        ]
        for j in report.jobs:
            lines.append(
                f"| {j.label} | {j.seconds:.2f} | {j.queries} | {j.result} "
                f"| {j.again_seconds:.2f} | {j.again_queries} | {j.again_result} |"
            )
    return "\n".join(lines) + "\n"


def _git_revision() -> str:
    # A copy of the code outside git (an exported tree, to time an older commit) says which.
    if os.environ.get("BENCH_CODE"):
        return os.environ["BENCH_CODE"]
    try:
        rev = subprocess.run(  # noqa: S603
            ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    dirty = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.count("\n")
    return rev[:100] + (f" (+ {dirty} uncommitted file(s) in the tree)" if dirty else "")


def _recreate_database() -> None:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def build(sizes, verify_events: int = 0, trust: int = 0) -> dict:
    from benchmarks import data
    from benchmarks.urls import create_floor_table
    from esafety.audit.models import AuditEvent

    create_floor_table()
    if trust:
        # The measured schools join a trust-sized database: every table holds the other
        # schools' rows too, as a shared server does (manage.py seed_scale's defaults).
        data.trust(trust)
    schools = data.from_seed_scale(sizes)
    total = AuditEvent.objects.count()
    if verify_events > total:
        # The trust's other schools, for verify_audit only: one more chain, as long as needed.
        data.audit_only_school(verify_events - total)
    _analyze()
    return schools


def _analyze() -> None:
    # What autovacuum gives a database in use: fresh statistics (without them the first minutes
    # after a bulk load are planned on empty tables) and the visibility map, without which an
    # index-only scan reads every row's page again (the dashboard's steps: 2,134 heap fetches,
    # 3.6 ms, where a vacuumed table answers from the index in 1.6 ms).
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--factors", default="1,10", help="school sizes, as factors of the demo")
    parser.add_argument(
        "--time-limit", type=float, default=900, help="seconds the timed rounds may take in all"
    )
    parser.add_argument(
        "--verify-events",
        type=int,
        default=0,
        help="top the audit table up to this many events before timing verify_audit",
    )
    parser.add_argument(
        "--trust",
        type=int,
        default=0,
        metavar="SCHOOLS",
        help="first fill the database with a trust of this many schools (seed_scale's default "
        "size each: 50 makes 1,000,000 audit events), then add the measured schools beside it",
    )
    parser.add_argument("--label", default="", help="added to the results file's name")
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.data import size_for

    if connection.vendor != "postgresql":
        raise SystemExit(
            "The page benchmark runs on PostgreSQL only (SQLite's timings say nothing about "
            "production). Set DATABASE_URL=postgres://... (default " + DEFAULT_DATABASE_URL + ")."
        )
    name = connection.settings_dict["NAME"]
    if "bench" not in name:
        raise SystemExit(
            f"The benchmark drops and re-creates its database; {name!r} does not look like a "
            "benchmark's (its name must contain 'bench')."
        )
    started = time.monotonic()
    _recreate_database()
    call_command("migrate", verbosity=0)
    sizes = [size_for(int(f)) for f in args.factors.split(",")]
    schools = build(sizes, verify_events=args.verify_events, trust=args.trust)
    built = time.monotonic() - started
    print(f"database {name} built in {built:.0f} s; measuring…", file=sys.stderr, flush=True)

    measuring = time.monotonic()
    report = run(
        schools, repetitions=args.repetitions, warmup=args.warmup, time_limit=args.time_limit
    )
    took = time.monotonic() - measuring
    now = datetime.datetime.now(datetime.UTC)
    sizes_text = "; ".join(
        f"{s.label}: {s.pupils:,} pupils, {s.concerns:,} concerns, {s.audit_events:,} audit events"
        for s in sizes
    ) + (f"; beside a trust of {args.trust} schools (seed_scale's defaults)" if args.trust else "")
    header = [
        f"# Page benchmark, {now:%Y-%m-%d %H:%M} UTC" + (f" ({args.label})" if args.label else ""),
        "",
        f"- code: {_git_revision()}",
        f"- PostgreSQL database {name} on {connection.settings_dict['HOST'] or 'a socket'}; "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs",
        f"- data: {DATA_SOURCE} ({sizes_text}); built in {built:.0f} s",
        f"- {report.repetitions_done} interleaved repetitions after {args.warmup} warm-up"
        + (" (stopped by --time-limit)" if report.stopped_early else "")
        + f"; measuring took {took:.0f} s",
        "- server time in-process (Django test client); × floor = median / the floor's median "
        "in the same run (GET pages: the base-template floor; POSTs: the one-INSERT floor)",
        f"- command: {' '.join(['benchmarks/bench_pages.py', *sys.argv[1:]])}",
    ]
    text = markdown(report, header)
    print(text)
    if not args.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"{now:%Y-%m-%d-%H%M}{'-' + args.label if args.label else ''}.md"
        out.write_text(text)
        print(f"written to {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
