"""The Filtering and monitoring app's rows in the role × URL table
(tests/access_table.py gathers them), and the
objects its URLs name (tests/test_access_matrix.py builds them at both schools).

The online safety lead and the head keep the evidence; the DSL and deputies read it and
acknowledge reports and alerts; governors read the roles and the annual review, and only a
governor reaches the sign-off page (the named governor alone can sign: tests/filtering). Staff,
the office and parents see nothing."""

import datetime

from django.utils import timezone

from filtering.models import AnnualReview, Check, CheckResult, CheckTask, Decision
from tests.access_table import (
    DEPUTY_DSL,
    DSL,
    GOVERNOR,
    HEAD,
    ONLINE_SAFETY_LEAD,
    Page,
    School,
)

KEEPERS = frozenset({ONLINE_SAFETY_LEAD, HEAD})
READERS = KEEPERS | {DSL, DEPUTY_DSL}
DECISION = {"decision": "filtering_decision"}
CHECK = {"check": "filtering_check"}
REVIEW = {"review": "filtering_review"}

SCHOOL_PAGES: dict[str, School] = {
    "filtering:overview": School(READERS),
    "filtering:settings": School(KEEPERS),
    "filtering:roles": School(READERS | {GOVERNOR}),
    "filtering:role_assign": School(KEEPERS),
    "filtering:provision": School(READERS),
    "filtering:provision_new": School(KEEPERS),
    "filtering:decisions": School(READERS),
    "filtering:decision_new": School(KEEPERS),
    "filtering:decision_detail": School(READERS, objects=DECISION),
    "filtering:decision_applied": School(KEEPERS, method="POST", objects=DECISION),
    "filtering:checks": School(READERS),
    "filtering:check_new": School(KEEPERS),
    "filtering:check_detail": School(READERS, objects=CHECK),
    "filtering:task_resolve": School(KEEPERS, method="POST", objects=CHECK),
    "filtering:reports": School(READERS),
    "filtering:report_acknowledge": School(READERS, method="POST"),
    "filtering:alerts": School(READERS),
    "filtering:shift_new": School(KEEPERS, method="POST"),
    "filtering:alert_new": School(READERS),
    "filtering:reviews": School(READERS | {GOVERNOR}),
    "filtering:review_new": School(KEEPERS),
    "filtering:review_detail": School(READERS | {GOVERNOR}, objects=REVIEW),
    "filtering:review_sign": School(frozenset({GOVERNOR}), objects=REVIEW),
}
OTHER_PAGES: dict[str, Page] = {}


def objects(school, office) -> dict[str, object]:
    """One of each object this app's URLs name, at `school` (`office` is its office member)."""
    today = timezone.localdate()
    now = timezone.now()
    decision = Decision.objects.create(
        school=school,
        action="block",
        target_kind="site",
        target="www.example.org",
        requested_by="A teacher",
        requested_on=today,
        reason="Adverts",
        risk_assessment="Low",
        outcome="approved",
        decided_by=office,
        decided_on=today,
        recorded_at=now,
    )
    check = Check.objects.create(
        school=school,
        device_type="ipad",
        user_group="ks2",
        tool="Test tool",
        tested_by=office,
        tested_on=today - datetime.timedelta(days=1),
        recorded_at=now,
        failed=True,
    )
    CheckResult.objects.create(check_record=check, category="adult", blocked=False, action="Told")
    CheckTask.objects.create(school=school, check_record=check, assigned_to=office, opened_at=now)
    review = AnnualReview.objects.create(
        school=school, summary="Done", completed_by=office, completed_at=now, governor=office
    )
    return {
        "filtering_decision": decision.code,
        "filtering_check": check.code,
        "filtering_review": review.code,
    }
