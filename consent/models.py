"""Photo and video consent: purposes, the consent form's versions, decisions (append-only), the
"do not photograph" marking, publications and their re-shares, and take-downs.

The rules that turn these rows into "may this pupil appear?" live in consent/rules.py, so every
page, list, PDF, check and figure answers the same way.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from esafety.base import TimeStampedModel


class ConsentSettings(TimeStampedModel):
    """The school's consent settings, created with the defaults on first use."""

    school = models.OneToOneField("people.School", models.CASCADE, related_name="consent_settings")
    # The ICO calls a presumption of competence from 12 reasonable (Gillick, not UK GDPR's 13,
    # which is for online services offered to a child).
    own_decision_age = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(8), MaxValueValidator(18)],
        help_text="Age from which a pupil decides for themselves (the stricter of pupil and "
        "parent stands).",
    )
    renew_each_year = models.BooleanField(
        default=False,
        help_text="Ask again at the start of each academic year: last year's consents lapse.",
    )

    class Meta:
        verbose_name_plural = "consent settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(own_decision_age__gte=8, own_decision_age__lte=18),
                name="consent_settings_age_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent settings of {self.school}"


class LawfulBasis(models.TextChoices):
    # Silence is no.
    CONSENT = "consent", "Consent"
    # Used unless someone objects; a parent's "no" is an objection that still stops the use.
    PUBLIC_TASK = "public_task", "Public task"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests"


class Purpose(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="consent_purposes")
    label = models.CharField(max_length=100)
    explanation = models.TextField(help_text="What parents read before they decide.")
    lawful_basis = models.CharField(max_length=32, choices=LawfulBasis.choices)
    names_allowed = models.BooleanField(
        default=False, help_text="Pupils' names may appear with their image."
    )
    allows_alone_only = models.BooleanField(
        default=False,
        help_text='Parents may choose "on my child\'s own only, never in group photos".',
    )
    order = models.PositiveSmallIntegerField(default=50)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["school", "label"], name="consent_purpose_label_once"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def needs_consent(self) -> bool:
        return self.lawful_basis == LawfulBasis.CONSENT


class FormVersion(models.Model):
    """The consent form's text as parents read it. Each decision keeps the version it was made
    on; a new version is a new row, never an edit."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="consent_forms")
    number = models.PositiveIntegerField()
    text = models.TextField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="consent_form_number_once"),
        ]

    def __str__(self) -> str:
        return f"Consent form v{self.number}"


class Choice(models.TextChoices):
    GRANTED = "granted", "Yes"
    ALONE_ONLY = "alone_only", "Yes, on their own only (never in group photos)"
    REFUSED = "refused", "No"


class Method(models.TextChoices):
    ONLINE = "online", "Online"
    PAPER = "paper", "Paper form, recorded by the office"
    IN_PERSON = "in_person", "In person"


class Decision(models.Model):
    """One decision about one pupil and one purpose. Append-only: a change of mind is a new
    row; the current state is the latest (consent/rules.py)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    pupil = models.ForeignKey("people.Pupil", models.PROTECT, related_name="consent_decisions")
    purpose = models.ForeignKey(Purpose, models.PROTECT, related_name="decisions")
    choice = models.CharField(max_length=16, choices=Choice.choices)
    # Who decided: a guardian with parental responsibility, or the pupil (guardian empty).
    guardian = models.ForeignKey(
        "people.Guardian", models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_pupil = models.BooleanField(default=False)
    method = models.CharField(max_length=16, choices=Method.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    form_version = models.ForeignKey(FormVersion, models.PROTECT, related_name="decisions")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["pupil", "purpose", "decided_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(by_pupil=True) & Q(guardian__isnull=True))
                | (Q(by_pupil=False) & Q(guardian__isnull=False)),
                name="consent_decision_by_guardian_or_pupil",
            ),
            # The pupil's own decision is recorded by staff, never online.
            models.CheckConstraint(
                condition=Q(by_pupil=False) | ~Q(method="online"),
                name="consent_decision_pupil_not_online",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}: {self.get_choice_display()} ({self.decided_at:%Y-%m-%d})"


class Marking(TimeStampedModel):
    """The DSL or head marks a pupil as not to be photographed or identified, whatever anyone
    chose. Staff see only "do not photograph"; the reason is for the DSL and head."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    pupil = models.ForeignKey("people.Pupil", models.PROTECT, related_name="photo_markings")
    reason = models.TextField()
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=Q(lifted_at__isnull=True),
                name="consent_marking_one_active",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | Q(lifted_by__isnull=False),
                name="consent_marking_lifted_has_who",
            ),
        ]

    def __str__(self) -> str:
        return "Do not photograph"


class Channel(models.TextChoices):
    WEBSITE = "website", "School website"
    NEWSLETTER = "newsletter", "Newsletter"
    SOCIAL = "social", "Social media account"
    PRESS = "press", "Press"
    DISPLAY = "display", "Display in school"
    OTHER = "other", "Other"


class Publication(TimeStampedModel):
    """A photo or video used (or a re-share of one: `original` set), with the pupils in it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    purpose = models.ForeignKey(Purpose, models.PROTECT, related_name="publications")
    title = models.CharField("what", max_length=200)
    channel = models.CharField("where", max_length=16, choices=Channel.choices)
    reference = models.CharField("link or reference", max_length=500, blank=True)
    published_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    original = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="reshares"
    )
    pupils = models.ManyToManyField("people.Pupil", through="PublicationPupil", related_name="+")

    class Meta:
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class PublicationPupil(models.Model):
    publication = models.ForeignKey(Publication, models.CASCADE, related_name="appearances")
    pupil = models.ForeignKey("people.Pupil", models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "pupil"], name="consent_publication_pupil_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication} · pupil {self.pupil_id}"


class TakeDownReason(models.TextChoices):
    WITHDRAWN = "withdrawn", "Consent withdrawn"
    MARKED = "marked", "Do not photograph"


class TakeDown(TimeStampedModel):
    """A use of a pupil's image that must come down: one per publication (or re-share) and
    pupil, opened once, listed until it is marked removed or marked as not recallable."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    publication = models.ForeignKey(Publication, models.PROTECT, related_name="takedowns")
    pupil = models.ForeignKey("people.Pupil", models.PROTECT, related_name="+")
    reason = models.CharField(max_length=16, choices=TakeDownReason.choices)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    how = models.CharField(max_length=300, blank=True)
    # Printed newsletters cannot be recalled: closed with a note, not "removed".
    cannot_recall = models.BooleanField(default=False)

    class Meta:
        ordering = ["opened_at", "id"]
        indexes = [models.Index(fields=["school", "closed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "pupil"], name="consent_takedown_once_per_use"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | (Q(closed_by__isnull=False) & ~Q(how="")),
                name="consent_takedown_closed_has_who_how",
            ),
        ]

    def __str__(self) -> str:
        return f"Take-down of {self.publication}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
