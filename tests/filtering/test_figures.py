"""The governors' figures (counts and states, never a name) and the daily digest's lines."""

import datetime

from django.utils import timezone

from esafety import contributions
from esafety.people.access import school_access
from filtering.compliance import figures
from filtering.models import ReviewItem
from filtering.periods import monday_of
from filtering.services import decisions, monitoring, reviews, settings


def test_figures_count_checks_decisions_reports_and_the_review(named, record_check):
    today = timezone.localdate()
    settings.settings_update(
        school=named.school,
        actor=named.head,
        check_cadence="termly",
        reports_from=monday_of(today) - datetime.timedelta(weeks=4),
    )
    record_check(failed=True)
    record_check(failed=False)
    decisions.decision_record(
        school=named.school,
        actor=named.head,
        action="allow",
        target_kind="site",
        target="www.example.org",
        requested_by="A teacher",
        requested_on=today,
        reason="r",
        risk_assessment="a",
        outcome="approved",
        decided_on=today,
    )
    monitoring.report_acknowledge(
        school=named.school,
        actor=named.dsl,
        week_start=monday_of(today) - datetime.timedelta(weeks=1),
        note="Nothing.",
    )
    review = reviews.review_complete(
        school=named.school,
        actor=named.head,
        answers={i: {"met": True, "note": ""} for i in ReviewItem.values},
        summary="s",
    )
    reviews.review_sign(review=review, actor=named.governor, signature="Gita Governor")
    found = figures(school=named.school, start=today - datetime.timedelta(days=60), end=today)
    assert (found.checks_done, found.checks_failed, found.failed_open_at_end) == (2, 1, 1)
    assert (found.decisions, found.decisions_allow, found.decisions_block) == (1, 1, 0)
    assert (found.reports_due, found.reports_acknowledged) == (4, 1)
    assert found.review_state == "Up to date"
    assert found.roles_named["Senior leader responsible"] is True
    assert found.roles_named["IT service provider's contact"] is False
    # Counts only: no name anywhere in the figures.
    assert "Hal Head" not in repr(found) and "Gita" not in repr(found)
    # The figures reach the shared report through the contribution.
    assert "filtering" in contributions.figures(school=named.school, start=today, end=today)


def test_the_digest_tells_the_online_safety_lead_what_waits(named, record_check):
    source = next(
        s for c in contributions.contributions() if c.app == "filtering" for s in c.digest
    )
    access = school_access(named.online_safety_lead, named.school.code)
    today = timezone.localdate()
    texts = [line.text for line in source.lines(access, today)]
    assert texts == ["The filtering and monitoring review is overdue"]
    record_check(failed=True)
    texts = [line.text for line in source.lines(access, today)]
    assert "1 failed filtering check not yet resolved" in texts
