"""The filtering evidence refuses UPDATE, DELETE and TRUNCATE in PostgreSQL itself."""

import datetime

import pytest
from django.utils import timezone

from filtering.models import (
    Check,
    CheckResult,
    Decision,
    DecisionApplied,
    OnCallShift,
    ProvisionVersion,
    ReportAcknowledgement,
    RoleAssignment,
    UrgentAlert,
)
from filtering.periods import monday_of
from filtering.services import decisions, monitoring
from tests.append_only import assert_append_only

pytestmark = pytest.mark.postgres


def _decision(personas):
    today = timezone.localdate()
    return decisions.decision_record(
        school=personas.school,
        actor=personas.online_safety_lead,
        action="block",
        target_kind="site",
        target="www.example.org",
        requested_by="A teacher",
        requested_on=today,
        reason="Adverts",
        risk_assessment="Low",
        outcome="approved",
        decided_on=today,
    )


def test_decisions_and_when_they_were_applied_are_append_only(personas):
    decision = _decision(personas)
    decisions.decision_applied(
        decision=decision,
        actor=personas.online_safety_lead,
        applied_on=timezone.localdate(),
        applied_by="The provider",
    )
    assert_append_only("filtering_decision", decision.pk)
    assert_append_only("filtering_decisionapplied", DecisionApplied.objects.get().pk)
    assert Decision.objects.filter(pk=decision.pk, target="www.example.org").exists()


def test_checks_and_their_results_are_append_only(personas, record_check):
    check = record_check(failed=True)
    assert_append_only("filtering_check", check.pk)
    assert_append_only(
        "filtering_checkresult", CheckResult.objects.filter(check_record=check)[0].pk
    )
    assert Check.objects.get(pk=check.pk).failed


def test_roles_and_provision_versions_are_append_only(named, record_provision):
    version = record_provision()
    assert_append_only("filtering_provisionversion", version.pk)
    assert_append_only("filtering_roleassignment", RoleAssignment.objects.first().pk)
    assert ProvisionVersion.objects.count() == 1


def test_acknowledgements_shifts_and_alerts_are_append_only(personas):
    school, dsl = personas.school, personas.dsl
    week = monday_of(timezone.localdate()) - datetime.timedelta(days=7)
    monitoring.report_acknowledge(school=school, actor=dsl, week_start=week, note="Nothing.")
    today = timezone.localdate()
    monitoring.shift_record(
        school=school, actor=personas.head, user=dsl, starts_on=today, ends_on=today
    )
    now = timezone.now()
    monitoring.alert_record(
        school=school,
        actor=dsl,
        received_at=now - datetime.timedelta(hours=2),
        acted_at=now - datetime.timedelta(hours=1),
        received_by=dsl,
        action="Phoned the parents.",
    )
    assert_append_only("filtering_reportacknowledgement", ReportAcknowledgement.objects.get().pk)
    assert_append_only("filtering_oncallshift", OnCallShift.objects.get().pk)
    assert_append_only("filtering_urgentalert", UrgentAlert.objects.get().pk)


def test_a_task_is_resolved_once_and_a_review_signed_once(named, record_check):
    from filtering.models import AnnualReview, CheckTask, ReviewItem
    from filtering.services import checks, reviews
    from tests.append_only import refused

    record_check(failed=True)
    task = CheckTask.objects.get()
    # Open, it may only be resolved: not handed to someone else, not removed.
    assert refused(
        "UPDATE filtering_checktask SET assigned_to_id = %s WHERE id = %s", [named.dsl.pk, task.pk]
    )
    assert refused("DELETE FROM filtering_checktask WHERE id = %s", [task.pk])
    checks.task_resolve(task=task, actor=named.head, resolution="Fixed.")
    assert refused("UPDATE filtering_checktask SET resolution = 'Other' WHERE id = %s", [task.pk])
    assert refused("UPDATE filtering_checktask SET resolved_at = NULL WHERE id = %s", [task.pk])

    review = reviews.review_complete(
        school=named.school,
        actor=named.head,
        answers={i: {"met": True, "note": ""} for i in ReviewItem.values},
        summary="s",
    )
    assert refused("UPDATE filtering_annualreview SET summary = 'x' WHERE id = %s", [review.pk])
    reviews.review_sign(review=review, actor=named.governor, signature="Gita Governor")
    assert refused("UPDATE filtering_annualreview SET signature = 'x' WHERE id = %s", [review.pk])
    assert refused("DELETE FROM filtering_annualreview WHERE id = %s", [review.pk])
    assert AnnualReview.objects.get().signature == "Gita Governor"
