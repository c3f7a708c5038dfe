"""The page benchmark (benchmarks/bench_pages.py) runs end to end in a tiny mode: two small
schools, two repetitions. It proves the harness works and prints a row for every page and every
background job; it asserts nothing about time (`make bench` on PostgreSQL is for that)."""

from benchmarks import bench_pages, data
from benchmarks.urls import create_floor_table


def test_it_measures_every_page_and_job(db, settings):
    settings.ROOT_URLCONF = "benchmarks.urls"
    create_floor_table()
    schools = data.from_seed_scale(list(data.TINY))

    report = bench_pages.run(schools, repetitions=2, warmup=1, time_limit=120)
    text = bench_pages.markdown(report, ["# tiny"])

    assert report.repetitions_done == 2
    assert not report.stopped_early
    for m in report.measured.values():
        # Every page answered as it should (200, or the POST's redirect) every time.
        assert m.errors == [], (m.page.label, m.scale, m.errors)
        assert len(m.seconds) == 2
        assert m.queries > 0
    rows = {line.split(" | ")[0].lstrip("| ") for line in text.splitlines() if line.startswith("|")}
    for page in bench_pages.pages():
        assert page.label in rows
    for label, _job in bench_pages.jobs():
        assert label in rows
    assert "chain intact" in text or "Audit trail intact" in text


def test_it_builds_a_valid_audit_chain(db):
    from esafety.audit.chain import chain_report

    data.from_seed_scale([data.TINY[0]])
    data.audit_only_school(300)

    report = chain_report()
    assert report.breaks == []
    assert report.total >= data.TINY[0].audit_events


def test_a_job_s_queries_are_counted_after_the_query_log_is_full(db):
    # The connection's query log keeps 9,000 statements; a run's earlier jobs fill it, and a
    # count read off that log then said 0 for every later job.
    from django.db import connection

    from esafety.people.models import School

    connection.queries_log.extend({"sql": "…", "time": "0"} for _ in range(9000))
    job = bench_pages._job("three reads", lambda: [School.objects.count() for _ in range(3)])

    assert (job.queries, job.again_queries) == (3, 3)
