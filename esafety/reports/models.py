import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from esafety.base import TimeStampedModel

DEFAULT_THRESHOLD = 4
# Official statistics suppress up to 5 or 10; more than that would hide most of a small school.
MAX_THRESHOLD = 10


class ReportSettings(TimeStampedModel):
    """What the board has chosen its report to contain, and how small a count it hides. One per
    school, made with the defaults the first time anyone asks (services.settings_for)."""

    school = models.OneToOneField("people.School", models.CASCADE, related_name="report_settings")
    threshold = models.PositiveSmallIntegerField(
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_THRESHOLD)],
        help_text="Counts from 1 to this number are shown as “fewer than” the next.",
    )
    # Section keys (ReportSection.key) the board chose; None until it first chooses: every
    # section of every installed app.
    sections = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=1, threshold__lte=MAX_THRESHOLD),
                name="reports_reportsettings_threshold_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"Report settings of school {self.school_id}"


class ReportBuild(TimeStampedModel):
    """A long report built by a worker and kept for download: the PDF is stored privately
    (under PRIVATE_ROOT) and served only through the access check, each download audited."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        BUILDING = "building", "Building"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.CASCADE, related_name="report_builds")
    # Empty for the end-of-term report the beat task asks for.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who asked, as the cover prints it: a named role, never the person's name.
    requested_as = models.CharField(max_length=100)
    start = models.DateField()
    end = models.DateField()
    label = models.CharField(max_length=100)
    kind = models.CharField(max_length=8)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="reports/", blank=True)
    # The term an end-of-term report is for ("2026-09-01"): one per school and term.
    term_key = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="reports_reportbuild_end_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(pdf=""), name="reports_reportbuild_done_has_pdf"
            ),
            models.UniqueConstraint(
                fields=["school", "term_key"],
                condition=~Q(term_key=""),
                name="reports_reportbuild_one_per_term",
            ),
        ]

    def __str__(self) -> str:
        return f"Report build {self.code}"

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.FAILED):
            return 100
        if not self.steps_total:
            return 0
        return min(99, int(self.steps_done * 100 / self.steps_total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Trust(TimeStampedModel):
    """A group of schools (a multi-academy trust). Its leads see each school's figures side by
    side and in total, and nothing below figures; each school still sees only itself."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    schools = models.ManyToManyField("people.School", related_name="trusts", blank=True)

    def __str__(self) -> str:
        return self.name


class TrustLead(TimeStampedModel):
    """A membership of a trust. A trust lead must sign in with a second factor (checked by the
    trust's pages: the shared rule reads school memberships, and a trust lead may hold none)."""

    trust = models.ForeignKey(Trust, models.CASCADE, related_name="leads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="trust_leads")
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trust", "user"], name="reports_trustlead_once")
        ]

    def __str__(self) -> str:
        return f"Trust lead {self.user_id} of {self.trust_id}"
