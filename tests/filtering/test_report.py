"""Filtering's section of the governors' report: counts and roles, never a person's name, in a
constant number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esafety import contributions
from filtering.report import SECTIONS, filtering_section


def _build(personas, days=90):
    today = timezone.localdate()
    return filtering_section(
        school=personas.school, start=today - datetime.timedelta(days=days), end=today
    )


def test_the_section_counts_checks_by_device_and_names_no_one(named, record_check):
    record_check(failed=True)
    record_check(failed=False)
    found = _build(named)
    checks = next(t for t in found.tables if t.key == "checks")
    assert [(r.label, r.counts) for r in checks.rows] == [("iPads", (1, 1))]
    roles = next(listing for listing in found.listings if listing.key == "roles")
    assert ("Senior leader responsible", "Yes") in roles.rows
    assert ("IT service provider's contact", "Not named") in roles.rows
    text = repr(found)
    for name in ("Hal Head", "Gita Governor", "Dana Lead", "Olu Safety"):
        assert name not in text
    assert any(s.key == "filtering.evidence" for s in contributions.report_sections())
    assert SECTIONS[0].build is filtering_section


def test_the_section_issues_the_same_queries_at_two_sizes(named, record_check):
    record_check(failed=True)
    with CaptureQueriesContext(connection) as small:
        _build(named)
    for _ in range(15):
        record_check(failed=False)
    with CaptureQueriesContext(connection) as large:
        _build(named)
    assert len(large.captured_queries) == len(small.captured_queries)
