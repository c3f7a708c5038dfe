"""Filtering evidence for the scale data set (manage.py seed_scale), in bulk: the roles, two
versions of the provision, a year of termly checks on every device type and user group (a few
failed, all but the newest resolved), decisions through the year, a year of weekly reports with
a few weeks missed, and the annual review signed. Evidence is append-only, so each row is
inserted as it stays. Every word is invented."""

import datetime

from dateutil.relativedelta import relativedelta

from esafety.people.models import Role
from esafety.scale import ScaleSchool
from filtering.models import (
    AnnualReview,
    Check,
    CheckCategory,
    CheckResult,
    CheckTask,
    Decision,
    DecisionAction,
    DecisionApplied,
    DeviceType,
    FilteringSettings,
    Method,
    Outcome,
    ProvisionVersion,
    ReportAcknowledgement,
    ReviewItem,
    RoleAssignment,
    RoleKind,
    TargetKind,
    UserGroup,
)
from filtering.periods import monday_of
from filtering.standards import ROLE_DUTIES

DEVICES = [DeviceType.WINDOWS, DeviceType.CHROMEBOOK, DeviceType.IPAD, DeviceType.STAFF_LAPTOP]
GROUPS = [UserGroup.KS1, UserGroup.KS2, UserGroup.STAFF, UserGroup.GUESTS]
CATEGORIES = [
    CheckCategory.CHILD_ABUSE,
    CheckCategory.TERRORISM,
    CheckCategory.ADULT,
    CheckCategory.OFFENSIVE,
]


def seed(ctx: ScaleSchool) -> None:
    rng, school, now = ctx.rng, ctx.school, ctx.now
    head, osl = ctx.people[Role.HEAD], ctx.people[Role.ONLINE_SAFETY_LEAD]
    dsl, governor = ctx.people[Role.DSL], ctx.people[Role.GOVERNOR]
    year_ago = now - datetime.timedelta(days=365)
    today = now.date()

    def event(at, actor, action, obj, summary="") -> None:
        ctx.audit.add(
            school_id=school.pk,
            at=at,
            actor=actor,
            action=action,
            object_type=obj._meta.label_lower,
            object_code=str(obj.code),
            summary=summary,
        )

    settings = FilteringSettings(school=school, reports_from=monday_of(year_ago.date()))
    ctx.inserter.insert(FilteringSettings, [settings])
    roles = [
        RoleAssignment(
            school=school,
            kind=kind,
            user=user,
            duties=ROLE_DUTIES[kind],
            assigned_by=head,
            assigned_at=year_ago,
        )
        for kind, user in (
            (RoleKind.SENIOR_LEADER, head),
            (RoleKind.GOVERNOR, governor),
            (RoleKind.DSL, dsl),
            (RoleKind.PROMPT_CHANGE, osl),
        )
    ] + [
        RoleAssignment(
            school=school,
            kind=RoleKind.IT_PROVIDER,
            name="Sam Brightwater",
            organisation="Northgate Schools IT (fictional)",
            contact="help@northgate.example",
            duties=ROLE_DUTIES[RoleKind.IT_PROVIDER],
            assigned_by=head,
            assigned_at=year_ago,
        )
    ]
    ctx.inserter.insert(RoleAssignment, roles)
    for r in roles:
        event(year_ago, head, "filtering.role_assigned", r, r.get_kind_display())
    versions = [
        ProvisionVersion(
            school=school,
            number=n,
            filtering_provider="Northgate Schools IT (fictional)",
            filtering_product="GateKeeper (fictional)",
            monitoring_provider="Lookout (fictional)",
            monitoring_methods=[Method.NETWORK, Method.PHYSICAL],
            sites="Main site",
            user_groups=GROUPS,
            device_types=DEVICES[: 3 + n - 1],
            mobile_data="Phones are handed in on arrival.",
            blocks_iwf_list=True,
            blocks_terrorist_list=True,
            change_note="" if n == 1 else "Staff laptops added.",
            recorded_by=osl,
            recorded_at=at,
        )
        for n, at in ((1, year_ago), (2, year_ago + datetime.timedelta(days=120)))
    ]
    ctx.inserter.insert(ProvisionVersion, versions)
    for v in versions:
        event(v.recorded_at, osl, "filtering.provision_recorded", v, f"v{v.number}")

    # Checks: every term of the year, each device type with each user group, repeated with the
    # school's size (a larger school checks more rooms).
    rounds = max(1, round(ctx.factor))
    checks, results, tasks = [], [], []
    for term in range(3):
        tested_on = (year_ago + relativedelta(months=4 * term, days=20)).date()
        for _ in range(rounds):
            for device in DEVICES:
                for group in GROUPS:
                    failed = rng.random() < 0.04
                    checks.append(
                        Check(
                            school=school,
                            device_type=device,
                            user_group=group,
                            tool="SWGfL Test Filtering",
                            tested_by=osl,
                            tested_on=tested_on,
                            recorded_at=datetime.datetime.combine(
                                tested_on, datetime.time(10), tzinfo=datetime.UTC
                            ),
                            failed=failed,
                        )
                    )
    ctx.inserter.insert(Check, checks)
    for i, c in enumerate(checks):
        bad = rng.randrange(len(CATEGORIES)) if c.failed else -1
        for j, cat in enumerate(CATEGORIES):
            results.append(
                CheckResult(
                    check_record_id=c.pk,
                    category=cat,
                    blocked=j != bad,
                    action="Reported to the provider." if j == bad else "",
                )
            )
        event(c.recorded_at, osl, "filtering.check_recorded", c)
        if c.failed:
            newest = i >= len(checks) - len(DEVICES) * len(GROUPS) * rounds
            tasks.append(
                CheckTask(
                    school=school,
                    check_record_id=c.pk,
                    assigned_to=head,
                    opened_at=c.recorded_at,
                    resolved_at=None if newest else c.recorded_at + datetime.timedelta(days=3),
                    resolved_by=None if newest else osl,
                    resolution="" if newest else "Fixed by the provider and re-tested.",
                )
            )
    ctx.inserter.insert(CheckResult, results)
    ctx.inserter.insert(CheckTask, tasks)

    decisions, applied = [], []
    for _ in range(max(4, round(30 * ctx.factor))):
        on = (year_ago + (now - year_ago) * rng.random()).date()
        outcome = Outcome.APPROVED if rng.random() < 0.8 else Outcome.REFUSED
        decisions.append(
            Decision(
                school=school,
                action=rng.choice(DecisionAction.values),
                target_kind=rng.choice(TargetKind.values),
                target=f"www.site-{rng.randrange(10_000)}.example",
                requested_by="A class teacher",
                requested_on=on,
                reason="Needed for a lesson.",
                risk_assessment="Checked; low risk.",
                outcome=outcome,
                decided_by=osl,
                decided_on=on,
                recorded_at=datetime.datetime.combine(on, datetime.time(12), tzinfo=datetime.UTC),
            )
        )
    ctx.inserter.insert(Decision, decisions)
    for d in decisions:
        event(d.recorded_at, osl, "filtering.decision_recorded", d)
        if d.outcome == Outcome.APPROVED and d.decided_on < today:
            applied.append(
                DecisionApplied(
                    decision_id=d.pk,
                    applied_on=d.decided_on,
                    applied_by="The provider",
                    recorded_by=osl,
                    recorded_at=d.recorded_at,
                )
            )
    ctx.inserter.insert(DecisionApplied, applied)

    acks = []
    week = settings.reports_from
    while week + datetime.timedelta(days=7) <= monday_of(today):
        if rng.random() > 0.05:
            at = datetime.datetime.combine(
                week + datetime.timedelta(days=7), datetime.time(9), tzinfo=datetime.UTC
            )
            acks.append(
                ReportAcknowledgement(
                    school=school,
                    week_start=week,
                    acknowledged_by=dsl,
                    acknowledged_at=at,
                    note="Read; nothing to act on.",
                )
            )
        week += datetime.timedelta(days=7)
    ctx.inserter.insert(ReportAcknowledgement, acks)
    for a in acks:
        event(a.acknowledged_at, dsl, "filtering.report_acknowledged", a)

    signed_at = now - datetime.timedelta(days=60)
    review = AnnualReview(
        school=school,
        answers={item: {"met": True, "note": ""} for item in ReviewItem.values},
        summary="Reviewed with the DSL and the provider; the provision meets the school's needs.",
        completed_by=head,
        completed_at=signed_at - datetime.timedelta(days=5),
        governor=governor,
        signed_at=signed_at,
        signature=governor.full_name or governor.email,
        next_due=signed_at.date() + relativedelta(years=1),
    )
    ctx.inserter.insert(AnnualReview, [review])
    event(review.completed_at, head, "filtering.review_completed", review)
    event(signed_at, governor, "filtering.review_signed", review)
