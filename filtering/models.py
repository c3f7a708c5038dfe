"""Filtering and monitoring evidence, as the DfE's filtering and monitoring standards ask for it:
who is responsible, what the provision is, every block-or-allow decision and why, the checks that
show it works, the monitoring reports read, urgent alerts out of hours, and the annual review.

Evidence is append-only (PostgreSQL triggers in migrations/0002_append_only.py): a role, a
provision, a decision, a check and its results, an acknowledgement and an alert are added, never
changed; the current role or provision is the newest row, so every earlier version stays on
record. Only a failed check's task (open until resolved) and the annual review (signed once) change.
Links to a concern are its code: this app never imports the incidents app.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from esafety.base import TimeStampedModel
from filtering.choices import (  # noqa: F401 (the rest of the app imports them from here)
    MEMBER_ROLE_KINDS,
    Cadence,
    CheckCategory,
    DecisionAction,
    DeviceType,
    Method,
    Outcome,
    ReviewItem,
    RoleKind,
    TargetKind,
    UserGroup,
)

USER = settings.AUTH_USER_MODEL


class FilteringSettings(TimeStampedModel):
    """The school's own choices, created with defaults on first use."""

    school = models.OneToOneField("people.School", models.CASCADE, related_name="+")
    check_cadence = models.CharField(
        max_length=16,
        choices=Cadence.choices,
        default=Cadence.TERMLY,
        help_text="How often filtering is checked on every device type and for every user group.",
    )
    reports_from = models.DateField(
        null=True,
        blank=True,
        help_text="The first week the monitoring provider's weekly report is due.",
    )

    def __str__(self) -> str:
        return f"Filtering settings · {self.school}"


class RoleAssignment(models.Model):
    """Who holds one of the standards' roles from `assigned_at`; the newest row of a kind is the
    current holder, the rows before it the history."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=RoleKind.choices)
    user = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    # For someone outside the school (the IT provider's engineer).
    name = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    contact = models.CharField(max_length=200, blank=True)
    duties = models.TextField()
    assigned_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "-assigned_at", "-id"]
        indexes = [models.Index(fields=["school", "kind", "-assigned_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""),
                name="filtering_roleassignment_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.holder}"

    @property
    def holder(self) -> str:
        if self.user_id:
            return self.user.full_name or self.user.email
        return self.name


class ProvisionVersion(models.Model):
    """The filtering and monitoring provision as it stood from `recorded_at`: a change is a new
    version, so the school can show what it had when."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    filtering_provider = models.CharField(max_length=200)
    filtering_product = models.CharField(max_length=200)
    monitoring_provider = models.CharField(max_length=200)
    monitoring_methods = models.JSONField(default=list)  # Method values
    sites = models.TextField(help_text="The sites and buildings it covers, one a line.")
    user_groups = models.JSONField(default=list)  # UserGroup values
    device_types = models.JSONField(default=list)  # DeviceType values
    mobile_data = models.TextField(
        help_text="Mobile data (4G/5G) is out of the school's reach: how the policy handles it."
    )
    blocks_iwf_list = models.BooleanField()
    blocks_terrorist_list = models.BooleanField()
    uksic_response_url = models.URLField(blank=True)
    change_note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="filtering_provision_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"Provision v{self.number} · {self.school}"

    @property
    def labels_methods(self) -> list[str]:
        names = dict(Method.choices)
        return [names.get(v, v) for v in self.monitoring_methods]

    @property
    def labels_groups(self) -> list[str]:
        names = dict(UserGroup.choices)
        return [names.get(v, v) for v in self.user_groups]

    @property
    def labels_devices(self) -> list[str]:
        names = dict(DeviceType.choices)
        return [names.get(v, v) for v in self.device_types]


class Decision(models.Model):
    """A request to block or allow something, and what was decided and why."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    action = models.CharField(max_length=8, choices=DecisionAction.choices)
    target_kind = models.CharField(max_length=16, choices=TargetKind.choices)
    target = models.CharField(max_length=300)
    requested_by = models.CharField(max_length=200, help_text="Who asked, and their role.")
    requested_on = models.DateField()
    reason = models.TextField()
    risk_assessment = models.TextField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    decided_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    decided_on = models.DateField()
    recorded_at = models.DateTimeField()
    # The concern (a filtering breach) this decision came from, by its code.
    concern_code = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["school", "-decided_on", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__gte=models.F("requested_on")),
                name="filtering_decision_decided_after_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.target}"


class DecisionApplied(models.Model):
    """When an approved decision was put into the filter (often by the IT provider)."""

    decision = models.OneToOneField(Decision, models.PROTECT, related_name="applied")
    applied_on = models.DateField()
    applied_by = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Applied {self.applied_on}"


class Check(models.Model):
    """One check that filtering works: on one device type, for one user group."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    device_type = models.CharField(max_length=32, choices=DeviceType.choices)
    user_group = models.CharField(max_length=16, choices=UserGroup.choices)
    site = models.CharField(max_length=200, blank=True)
    tool = models.CharField(max_length=200)
    tested_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    tested_on = models.DateField()
    recorded_at = models.DateTimeField()
    failed = models.BooleanField(default=False)  # any result not blocked; set when made

    class Meta:
        ordering = ["-tested_on", "-id"]
        indexes = [models.Index(fields=["school", "-tested_on", "-id"])]

    def __str__(self) -> str:
        return f"Check {self.tested_on} · {self.get_device_type_display()}"


class CheckResult(models.Model):
    check_record = models.ForeignKey(Check, models.PROTECT, related_name="results")
    category = models.CharField(max_length=32, choices=CheckCategory.choices)
    blocked = models.BooleanField()
    action = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["check_record", "category"], name="filtering_checkresult_one_per_category"
            ),
            models.CheckConstraint(
                condition=Q(blocked=True) | ~Q(action=""),
                name="filtering_checkresult_failure_has_action",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {'blocked' if self.blocked else 'not blocked'}"


class CheckTask(TimeStampedModel):
    """A failed check's task for the senior leader: open until someone records how it was
    resolved (the check itself stays as it was)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    check_record = models.OneToOneField(Check, models.PROTECT, related_name="task")
    assigned_to = models.ForeignKey(USER, models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(
                fields=["school"], condition=Q(resolved_at__isnull=True), name="filtering_task_open"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True)
                | (Q(resolved_by__isnull=False) & ~Q(resolution="")),
                name="filtering_checktask_resolved_says_how",
            ),
        ]

    def __str__(self) -> str:
        return f"Task for {self.check_record}"


class ReportAcknowledgement(models.Model):
    """The monitoring provider's report for one week, read by someone who says what it showed."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    week_start = models.DateField()  # a Monday
    acknowledged_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField()
    note = models.TextField()
    showed_concern = models.BooleanField(default=False)
    concern_code = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "week_start"], name="filtering_ack_one_per_week"
            ),
        ]

    def __str__(self) -> str:
        return f"Week of {self.week_start}"


class OnCallShift(models.Model):
    """Who receives urgent monitoring alerts out of school hours, from one day to another."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    user = models.ForeignKey(USER, models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    recorded_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="filtering_oncallshift_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"On call {self.starts_on} to {self.ends_on}"


class UrgentAlert(models.Model):
    """An urgent monitoring alert: when it came in, when someone acted, what they did (no
    child's name: the concern logged from it holds that)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    acted_at = models.DateTimeField()
    received_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    action = models.TextField()
    concern_code = models.UUIDField(null=True, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(acted_at__gte=models.F("received_at")),
                name="filtering_urgentalert_acted_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"Alert {self.received_at:%Y-%m-%d %H:%M}"


class AnnualReview(TimeStampedModel):
    """The annual review: completed by the senior leader, signed off by the named governor."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    # {item: {"met": bool, "note": str}} for every ReviewItem.
    answers = models.JSONField(default=dict)
    summary = models.TextField()
    completed_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    completed_at = models.DateTimeField()
    # The governor named when it was completed: the only person who may sign it.
    governor = models.ForeignKey(USER, models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    signature = models.CharField(max_length=200, blank=True)
    next_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True)
                | (~Q(signature="") & Q(next_due__isnull=False)),
                name="filtering_review_signed_has_signature",
            ),
        ]

    def __str__(self) -> str:
        return f"Annual review {self.completed_at:%Y}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None
