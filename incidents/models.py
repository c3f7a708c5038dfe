import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from esafety.base import TimeStampedModel
from incidents.categories import Category, FourC, Route

# Crockford's base32: no I, L, O or U, so a reference read aloud is not misheard.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class Status(models.TextChoices):
    REPORTED = "reported", "Reported"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_AGENCY = "awaiting_agency", "Awaiting outside agency"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.REPORTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.AWAITING_AGENCY)


class Concern(TimeStampedModel):
    """An online-safety concern logged by a member of staff.

    Court-safe: what the reporter wrote is never edited. Everything done afterwards is an entry on
    the timeline; the fields below that change (status, closing details) are always accompanied by
    an entry saying who changed them, when and why.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="concerns")
    number = models.PositiveIntegerField(help_text="Sequential per school, for people to quote.")
    category = models.CharField(max_length=32, choices=Category.choices)
    four_c = models.CharField("4C", max_length=16, choices=FourC.choices)
    route = models.CharField(max_length=32, choices=Route.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="concerns_reported"
    )
    occurred_at = models.DateTimeField("when it happened")
    location = models.CharField("where", max_length=200, blank=True)
    what_happened = models.TextField()
    immediate_risk = models.BooleanField("a child is at immediate risk", default=False)
    told_dsl_in_person = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REPORTED)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalation_level = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(blank=True)
    lessons_learnt = models.TextField(blank=True)
    parents_informed = models.BooleanField(null=True, blank=True)
    parents_not_informed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="incidents_concern_number"),
            models.CheckConstraint(
                condition=~Q(status="closed")
                | (
                    Q(closed_at__isnull=False)
                    & ~Q(outcome="")
                    & ~Q(lessons_learnt="")
                    & Q(parents_informed__isnull=False)
                ),
                name="incidents_concern_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(parents_informed=False) | ~Q(parents_not_informed_reason=""),
                name="incidents_concern_parents_not_told_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="reported") | Q(acknowledged_at__isnull=False),
                name="incidents_concern_worked_was_acknowledged",
            ),
        ]
        indexes = [
            models.Index(
                fields=["school", "status", "-created_at"], name="incidents_school_status"
            ),
            # The dashboard's list order: its first page is read in index order and stops at 25
            # rows, where it sorted every concern of the school (migration 0004 says why).
            models.Index(
                fields=["school", "-immediate_risk", "-created_at", "-id"],
                name="incidents_concern_list_order",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """What people call the concern: C-7KQ2-M9XD, from its random code.

        Never the running number: a DSL who sees C00041 and C00043 would know that C00042
        exists and is hidden from them, which is to say it is about them. Eight characters of
        Crockford base32 (40 bits) are easy to read out on the phone and, at ten thousand
        concerns a school, collide about once in twenty thousand schools; the code stays the
        unique key.
        """
        return reference_of(self.code)


def reference_of(code: uuid.UUID) -> str:
    """Concern.reference, for a row read without its model."""
    value = code.int >> 88
    chars = "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(35, -1, -5))
    return f"C-{chars[:4]}-{chars[4:]}"


class PupilRole(models.TextChoices):
    AFFECTED = "affected", "Affected"
    ALLEGED = "alleged", "Alleged to be responsible"
    WITNESS = "witness", "Witness"


class ConcernPupil(models.Model):
    concern = models.ForeignKey(Concern, models.CASCADE, related_name="pupil_links")
    pupil = models.ForeignKey("people.Pupil", models.PROTECT, related_name="concern_links")
    role = models.CharField(max_length=16, choices=PupilRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concern", "pupil"], name="incidents_pupil_once"),
        ]

    def __str__(self) -> str:
        return f"{self.concern} · pupil {self.pupil_id} ({self.role})"


class ConcernStaff(models.Model):
    """A member of staff involved. Whoever is named here never sees the concern, so a row is
    never changed or removed (append-only in PostgreSQL): that would unhide the concern."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="staff_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="concerns_involved_in"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concern", "user"], name="incidents_staff_once"),
        ]

    def __str__(self) -> str:
        return f"{self.concern} · staff {self.user_id}"


class StepState(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class ProcedureStep(models.Model):
    """One step of the category's procedure, copied onto the concern when it was logged.

    Recorded once: PostgreSQL allows only the change from open to done or not applicable (who,
    when, note, entry filled in), and refuses every other change and every removal."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="steps")
    order = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=32)
    label = models.CharField(max_length=200)
    required = models.BooleanField(default=True)
    state = models.CharField(max_length=16, choices=StepState.choices, default=StepState.OPEN)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    # The timeline entry that records it: the step's own, or the record that did the step (the
    # acknowledgement, the initial review meeting, the referral, the closing).
    entry = models.ForeignKey(
        "TimelineEntry", models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "key"], name="incidents_step_once"),
            models.CheckConstraint(
                condition=Q(state="open") | (Q(done_by__isnull=False) & Q(done_at__isnull=False)),
                name="incidents_step_closed_has_who_when",
            ),
            models.CheckConstraint(
                condition=~Q(state="not_applicable") | ~Q(note=""),
                name="incidents_step_not_applicable_has_reason",
            ),
        ]
        indexes = [
            # Required steps still open: the dashboard's "steps outstanding" and each row's count
            # look only at these, a few per open concern, however many steps history has done.
            models.Index(
                fields=["concern"],
                condition=Q(state="open", required=True),
                name="incidents_step_open_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concern} · {self.label} ({self.state})"


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    SOCIAL_CARE = "social_care", "Children's social care"
    CEOP = "ceop", "CEOP"
    IWF = "iwf", "Internet Watch Foundation"
    LADO = "lado", "LADO"
    PREVENT = "prevent", "Prevent / Channel"
    EDUCATION_SAFEGUARDING = "education_safeguarding", "Education safeguarding team"


class Referral(models.Model):
    """A referral to an outside agency, or a recorded decision not to refer, with reasons."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    concern = models.ForeignKey(Concern, models.PROTECT, related_name="referrals")
    referred = models.BooleanField()
    agency = models.CharField(max_length=32, choices=Agency.choices, blank=True)
    referred_on = models.DateField(null=True, blank=True)
    reference = models.CharField("agency's reference", max_length=100, blank=True)
    reasons = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(referred=False) | (~Q(agency="") & Q(referred_on__isnull=False)),
                name="incidents_referral_has_agency_and_date",
            ),
            models.CheckConstraint(
                condition=Q(referred=True) | ~Q(reasons=""),
                name="incidents_no_referral_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concern} · {self.agency or 'no referral'}"


class ReviewMeeting(models.Model):
    """The initial review meeting that UKCIS advice requires for sharing nudes."""

    concern = models.OneToOneField(Concern, models.PROTECT, related_name="review_meeting")
    held_on = models.DateField()
    attendees = models.CharField(max_length=500)
    summary = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.concern} · review meeting {self.held_on}"


class NudesAnswer(models.Model):
    """An answer to one of the five immediate-referral questions, each recorded on its own."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="nudes_answers")
    question = models.CharField(max_length=32)
    answer = models.BooleanField()
    note = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "question"], name="incidents_nudes_answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concern} · {self.question}: {self.answer}"


class EntryKind(models.TextChoices):
    LOGGED = "logged", "Concern logged"
    NOTE = "note", "Note"
    ACTION = "action", "Action"
    STATUS = "status", "Status changed"
    STEP = "step", "Procedure step"
    REFERRAL = "referral", "Referral"
    REVIEW = "review", "Initial review meeting"
    ANSWER = "answer", "Referral question answered"
    ATTACHMENT = "attachment", "Evidence attached"
    ESCALATED = "escalated", "Escalated"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"
    CORRECTION = "correction", "Correction"


class TimelineEntry(models.Model):
    """The append-only record of a concern: nothing is edited or deleted. A correction is a new
    entry that points at the one it corrects."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    concern = models.ForeignKey(Concern, models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    text = models.TextField()
    corrects = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="corrections"
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "timeline entries"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="correction") | Q(corrects__isnull=False),
                name="incidents_correction_points_at_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concern} · {self.kind} at {self.at}"


class Attachment(models.Model):
    """Evidence (a screenshot) for a category that allows it. Stored outside public media under a
    random name; served only through a view that checks access and audits the read."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    concern = models.ForeignKey(Concern, models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.concern} · attachment {self.code}"
