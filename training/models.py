import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from esafety.base import TimeStampedModel


class Validity(models.TextChoices):
    # Induction: held once, and due within a number of days of the person starting.
    ONCE = "once", "Once, within a number of days of starting"
    # Formal DSL training: 24 months from the day of the course (KCSIE).
    ROLLING = "rolling", "For a number of months from the course"
    # The annual update: due each academic year by a date, not 365 days after the last one.
    ACADEMIC_YEAR = "academic_year", "Each academic year, by a due date"


class Kind(models.TextChoices):
    INDUCTION = "induction", "Safeguarding induction"
    ANNUAL_UPDATE = "annual_update", "Annual safeguarding and online-safety update"
    DSL_FORMAL = "dsl_formal", "DSL formal training"
    DSL_REFRESH = "dsl_refresh", "DSL annual refresh"
    PREVENT = "prevent", "Prevent awareness"
    FILTERING = "filtering", "Filtering and monitoring"
    GOVERNORS = "governors", "Governors' safeguarding training"
    OTHER = "other", "Other"


class Group(models.TextChoices):
    """Whom a course is required for. Roles of people.Role, and two governors the board names."""

    STAFF = "staff", "All staff"
    DSL = "dsl", "DSL and deputies"
    ONLINE_SAFETY_LEAD = "online_safety_lead", "Online safety lead"
    OFFICE = "office", "School office"
    GOVERNORS = "governors", "All governors"
    CHAIR = "chair", "Chair of governors"
    SAFEGUARDING_GOVERNOR = "safeguarding_governor", "Safeguarding governor"


class TrainingSettings(TimeStampedModel):
    """A school's training settings, made with the defaults on first use."""

    school = models.OneToOneField("people.School", models.CASCADE, related_name="+")
    expiring_days = models.PositiveSmallIntegerField(
        default=30, help_text="A record counts as expiring this many days before it lapses."
    )
    # The governor the board names for safeguarding: a designation, not a role.
    safeguarding_governor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Codes of the documents (policies that must be accepted) shown as read-and-sign columns of
    # the matrix: KCSIE Part 1, and any other the school chooses.
    read_and_sign = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name_plural = "training settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(expiring_days__gte=1, expiring_days__lte=180),
                name="training_settings_expiring_days_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Training settings of school {self.school_id}"


class Course(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    validity = models.CharField(max_length=16, choices=Validity.choices)
    months = models.PositiveSmallIntegerField(null=True, blank=True)
    within_days = models.PositiveSmallIntegerField(null=True, blank=True)
    due_month = models.PositiveSmallIntegerField(null=True, blank=True)
    due_day = models.PositiveSmallIntegerField(null=True, blank=True)
    # Group values (above); a list, read with the course.
    required_for = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["school", "title"], name="training_course_title_once"),
            models.CheckConstraint(
                condition=~Q(validity="rolling") | Q(months__gte=1),
                name="training_course_rolling_has_months",
            ),
            models.CheckConstraint(
                condition=~Q(validity="once") | Q(within_days__gte=1),
                name="training_course_once_has_days",
            ),
            models.CheckConstraint(
                condition=~Q(validity="academic_year")
                | Q(due_month__gte=1, due_month__lte=12, due_day__gte=1, due_day__lte=31),
                name="training_course_year_has_due_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Session(TimeStampedModel):
    """A briefing or course held in school, recorded once with who was there."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    presenter = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            # The same briefing recorded twice is one briefing.
            models.UniqueConstraint(
                fields=["course", "held_on"], name="training_session_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} on {self.held_on}"


class TrainingRecord(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, models.PROTECT, related_name="records")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="training_records"
    )
    completed_on = models.DateField()
    provider = models.CharField(max_length=200)
    session = models.ForeignKey(
        Session, models.PROTECT, null=True, blank=True, related_name="records"
    )
    # The certificate: stored outside public media under a random name, served only through a
    # view that checks access and audits the read (as a concern's evidence).
    certificate = models.FileField(upload_to="certificates/%Y/%m/", blank=True)
    certificate_type = models.CharField(max_length=64, blank=True)
    certificate_size = models.PositiveIntegerField(default=0)
    certificate_sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A checker who cannot accept it (the certificate is someone else's, the wrong course) says
    # why; the record never counts and its owner adds a corrected one.
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [
            # One record of a course a day for a person: a briefing's attendance recorded twice,
            # or a form sent twice, adds nothing. A rejected one leaves room for its correction.
            models.UniqueConstraint(
                fields=["person", "course", "completed_on"],
                condition=Q(rejected_at__isnull=True),
                name="training_record_once_a_day",
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(verified_by__isnull=False),
                name="training_record_verified_has_who",
            ),
            models.CheckConstraint(
                condition=Q(rejected_at__isnull=True)
                | (
                    Q(rejected_by__isnull=False)
                    & ~Q(rejection_reason="")
                    & Q(verified_at__isnull=True)
                ),
                name="training_record_rejected_has_who_why",
            ),
        ]
        indexes = [models.Index(fields=["school", "person"], name="training_record_person")]

    def __str__(self) -> str:
        return f"{self.course} · {self.completed_on}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_rejected(self) -> bool:
        return self.rejected_at is not None


class EventKind(models.TextChoices):
    PUPIL_LESSON = "pupil_lesson", "Pupil online-safety lesson"
    PARENT_EVENING = "parent_evening", "Parents' e-safety evening"
    STAFF_BRIEFING = "staff_briefing", "Staff briefing"


class EngagementEvent(TimeStampedModel):
    """A lesson, evening or briefing: when, for whom, by whom, and how many came. No pupil is
    named: a lesson's audience is its year groups."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    held_on = models.DateField()
    topic = models.CharField(max_length=200)
    audience = models.CharField(max_length=200, blank=True)
    # The year groups a pupil lesson was for, as the roster names them ("Year 4").
    year_groups = models.JSONField(default=list, blank=True)
    presenter = models.CharField(max_length=200)
    external = models.BooleanField("from an external presenter", default=False)
    attendance = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["school", "held_on"], name="training_event_school_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"
