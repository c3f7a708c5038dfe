"""Where the school stands: checks due this period, missed weekly reports, the annual review's
state. Each is a fixed handful of queries, whatever the school's history."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from esafety.people.models import School
from filtering.models import (
    AnnualReview,
    Check,
    CheckTask,
    Decision,
    DecisionAction,
    DeviceType,
    FilteringSettings,
    ProvisionVersion,
    ReportAcknowledgement,
    UserGroup,
)
from filtering.periods import Period, due_weeks, period_of

REVIEW_WARNING_DAYS = 30


def settings_of(school: School) -> FilteringSettings:
    """The settings, or unsaved defaults (a read never writes)."""
    found = FilteringSettings.objects.filter(school=school).first()
    return found or FilteringSettings(school=school)


@dataclass(frozen=True)
class Coverage:
    period: Period
    missing_devices: list[str]  # labels
    missing_groups: list[str]
    has_provision: bool

    @property
    def complete(self) -> bool:
        return self.has_provision and not self.missing_devices and not self.missing_groups


def coverage(
    *, school: School, today: datetime.date, settings: FilteringSettings | None = None
) -> Coverage:
    """Which device types and user groups of the current provision have no check this period."""
    settings = settings or settings_of(school)
    period = period_of(today, settings.check_cadence)
    provision = ProvisionVersion.objects.filter(school=school).order_by("-number").first()
    if provision is None:
        return Coverage(period, [], [], False)
    done = set(
        Check.objects.filter(
            school=school, tested_on__gte=period.start, tested_on__lte=period.end
        ).values_list("device_type", "user_group")
    )
    devices = {d for d, _ in done}
    groups = {g for _, g in done}
    device_labels, group_labels = dict(DeviceType.choices), dict(UserGroup.choices)
    return Coverage(
        period,
        [device_labels.get(d, d) for d in provision.device_types if d not in devices],
        [group_labels.get(g, g) for g in provision.user_groups if g not in groups],
        True,
    )


def reports_first_week(school: School, settings: FilteringSettings) -> datetime.date | None:
    if settings.reports_from:
        return settings.reports_from
    first = (
        ProvisionVersion.objects.filter(school=school)
        .order_by("number")
        .values_list("recorded_at", flat=True)
        .first()
    )
    return first.date() if first else None


@dataclass(frozen=True)
class WeekRow:
    week_start: datetime.date
    ack: ReportAcknowledgement | None


@dataclass(frozen=True)
class Reports:
    rows: list[WeekRow]  # the newest weeks due, acknowledged or missed
    due: int
    acknowledged: int

    @property
    def missed(self) -> int:
        return self.due - self.acknowledged


def report_weeks(
    *,
    school: School,
    today: datetime.date,
    limit: int = 12,
    settings: FilteringSettings | None = None,
) -> Reports:
    settings = settings or settings_of(school)
    weeks = due_weeks(reports_first_week(school, settings), today)
    if not weeks:
        return Reports([], 0, 0)
    shown = weeks[:limit]
    acks = {
        a.week_start: a
        for a in ReportAcknowledgement.objects.filter(
            school=school, week_start__gte=shown[-1], week_start__lte=shown[0]
        ).select_related("acknowledged_by")
    }
    # Counted every time (not only past `limit` weeks), so the page's queries never vary.
    acknowledged = ReportAcknowledgement.objects.filter(
        school=school, week_start__gte=weeks[-1], week_start__lte=weeks[0]
    ).count()
    return Reports([WeekRow(w, acks.get(w)) for w in shown], len(weeks), acknowledged)


@dataclass(frozen=True)
class ReviewStatus:
    state: str  # "overdue", "never", "due_soon", "awaiting_signature", "ok"
    last_signed: AnnualReview | None
    pending: AnnualReview | None
    next_due: datetime.date | None

    @property
    def label(self) -> str:
        return {
            "overdue": "Overdue",
            "never": "Never reviewed",
            "due_soon": "Due soon",
            "awaiting_signature": "Waiting for the governor's signature",
            "ok": "Up to date",
        }[self.state]


def review_status(*, school: School, today: datetime.date) -> ReviewStatus:
    latest = list(
        AnnualReview.objects.filter(school=school)
        .select_related("governor", "completed_by")
        .order_by("-completed_at")[:5]
    )
    pending = next((r for r in latest if r.signed_at is None), None)
    signed = next((r for r in latest if r.signed_at is not None), None)
    next_due = signed.next_due if signed else None
    if pending is not None and (next_due is None or next_due >= today):
        state = "awaiting_signature"
    elif next_due is None:
        state = "never"
    elif next_due < today:
        state = "overdue"
    elif next_due <= today + datetime.timedelta(days=REVIEW_WARNING_DAYS):
        state = "due_soon"
    else:
        state = "ok"
    return ReviewStatus(state, signed, pending, next_due)


def reports_in_period(
    *, school: School, start: datetime.date, end: datetime.date
) -> tuple[int, int]:
    """The weekly monitoring reports due in a period (the weeks that began in it and had ended
    by its last day) and how many of them were acknowledged: the figures and the governors'
    report count them the same way."""
    first = reports_first_week(school, settings_of(school))
    weeks = [w for w in due_weeks(first, end + datetime.timedelta(days=1)) if w >= start]
    if not weeks:
        return 0, 0
    acknowledged = ReportAcknowledgement.objects.filter(
        school=school, week_start__gte=weeks[-1], week_start__lte=weeks[0]
    ).count()
    return len(weeks), acknowledged


def open_task_count(*, school: School) -> int:
    return CheckTask.objects.filter(school=school, resolved_at__isnull=True).count()


def period_counts(*, school: School, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Checks done and failed, and decisions, between two dates (counts only)."""
    checks = Check.objects.filter(school=school, tested_on__gte=start, tested_on__lte=end)
    c = checks.aggregate(done=Count("id"), failed=Count("id", filter=Q(failed=True)))
    d = Decision.objects.filter(
        school=school, decided_on__gte=start, decided_on__lte=end
    ).aggregate(
        total=Count("id"),
        blocks=Count("id", filter=Q(action=DecisionAction.BLOCK)),
        allows=Count("id", filter=Q(action=DecisionAction.ALLOW)),
    )
    return {
        "checks_done": c["done"],
        "checks_failed": c["failed"],
        "decisions": d["total"],
        "decisions_block": d["blocks"],
        "decisions_allow": d["allows"],
    }
