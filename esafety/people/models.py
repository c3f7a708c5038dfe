import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from esafety.base import TimeStampedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("A user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    # Django admin access only; nothing in the school-facing app depends on it.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()
    # people.access.memberships_of caches the user's active memberships here for the request
    # (an annotation only: no field, no class attribute).
    _esafety_memberships: "list[Membership]"

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


MAX_ESCALATION_MINUTES = 7 * 24 * 60


class School(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    # Unique Reference Number from Get Information About Schools: six digits.
    urn = models.CharField("URN", max_length=8, unique=True)
    timezone = models.CharField(max_length=64, default="Europe/London")
    academic_year_start_month = models.PositiveSmallIntegerField(default=9)
    # The escalation loop divides by these: zero would stop every school's escalations, so the
    # database refuses it too. A week is the most any school's policy could mean.
    escalation_minutes = models.PositiveIntegerField(
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ESCALATION_MINUTES)],
        help_text="Minutes before an unacknowledged concern is escalated.",
    )
    immediate_risk_escalation_minutes = models.PositiveIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ESCALATION_MINUTES)],
        help_text="Minutes before an unacknowledged concern with a child at immediate risk "
        "is escalated.",
    )
    photo_consent_own_age = models.PositiveSmallIntegerField(
        default=13, help_text="Age from which pupils decide their own photo consent."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(academic_year_start_month__gte=1, academic_year_start_month__lte=12),
                name="people_school_year_start_is_a_month",
            ),
            models.CheckConstraint(
                condition=Q(escalation_minutes__gte=1), name="people_school_escalation_positive"
            ),
            models.CheckConstraint(
                condition=Q(
                    immediate_risk_escalation_minutes__gte=1,
                    immediate_risk_escalation_minutes__lte=MAX_ESCALATION_MINUTES,
                    escalation_minutes__lte=MAX_ESCALATION_MINUTES,
                ),
                name="people_school_escalation_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    STAFF = "staff", "Staff"
    DSL = "dsl", "Designated safeguarding lead"
    DEPUTY_DSL = "deputy_dsl", "Deputy DSL"
    ONLINE_SAFETY_LEAD = "online_safety_lead", "Online safety lead"
    HEAD = "head", "Headteacher"
    OFFICE = "office", "School office"
    GOVERNOR = "governor", "Governor"
    PARENT = "parent", "Parent or carer"


# Everyone employed by the school (as opposed to governors and parents).
STAFF_ROLES = frozenset(
    {Role.STAFF, Role.DSL, Role.DEPUTY_DSL, Role.ONLINE_SAFETY_LEAD, Role.HEAD, Role.OFFICE}
)


class Membership(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    is_chair = models.BooleanField(
        default=False, help_text="Chair of governors (receives concerns about the head)."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "role"], name="people_membership_one_per_role"
            ),
            models.CheckConstraint(
                condition=Q(is_chair=False) | Q(role="governor"),
                name="people_membership_only_governors_chair",
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(is_chair=True, is_active=True),
                name="people_membership_one_chair_per_school",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.school}"


class SchoolClass(TimeStampedModel):
    """A registration class or form, as the MIS names it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, models.CASCADE, related_name="classes")
    name = models.CharField(max_length=50)
    year_group = models.CharField(max_length=20, blank=True)
    teacher = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="classes_taught"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "classes"
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="people_class_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Pupil(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, models.PROTECT, related_name="pupils")
    mis_id = models.CharField("MIS id", max_length=50)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    year_group = models.CharField(max_length=20)
    school_class = models.ForeignKey(
        SchoolClass, models.SET_NULL, null=True, blank=True, related_name="pupils"
    )
    sen = models.BooleanField("SEN", default=False)
    looked_after = models.BooleanField(default=False)
    cp_plan = models.BooleanField("child-protection plan", default=False)
    on_roll_date = models.DateField(null=True, blank=True)
    left_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "mis_id"], name="people_pupil_unique_mis_id"),
            models.CheckConstraint(
                condition=Q(left_date__isnull=True)
                | Q(on_roll_date__isnull=True)
                | Q(left_date__gte=models.F("on_roll_date")),
                name="people_pupil_left_after_joining",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "last_name", "first_name"]),
            # The year groups on roll, one probe each (selectors.year_groups_on_roll).
            models.Index(
                fields=["school", "year_group"],
                condition=Q(left_date__isnull=True),
                name="people_pupil_on_roll_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def on_roll(self) -> bool:
        return self.left_date is None


class Guardian(TimeStampedModel):
    """A pupil's parent or carer as the MIS knows them.

    The roster brings the email; the user is linked when that person accepts an invitation.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pupil = models.ForeignKey(Pupil, models.CASCADE, related_name="guardians")
    email = models.EmailField()
    full_name = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="guardianships"
    )
    relationship = models.CharField(max_length=50, blank=True)
    parental_responsibility = models.BooleanField(default=True)

    class Meta:
        ordering = ["pupil", "email"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "email"], name="people_guardian_unique_email"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name or self.email} ({self.relationship or 'guardian'})"


class Invitation(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=32, choices=Role.choices)
    # Empty only for the first invitation of a new school, sent by whoever runs the server.
    invited_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="invitations_sent"
    )
    # The secret in the emailed link. The code above is for URLs the inviter sees.
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="invitations_accepted"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_by__isnull=False),
                name="people_invitation_accepted_has_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class RosterImport(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        CHECKING = "checking", "Checking rows"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Nothing imported"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, models.CASCADE, related_name="roster_imports")
    uploaded_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    file = models.FileField(upload_to="rosters/")
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # [{"line": 12, "message": "..."}]: every bad row, so the office can fix them all at once.
    errors = models.JSONField(default=list, blank=True)
    # {"created": n, "updated": n, "left": n, "guardians": n}
    summary = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.FAILED):
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(self.processed_rows * 100 / self.total_rows))
