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
