import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, prefetch_related_objects

from esafety.base import TimeStampedModel


class Kind(models.TextChoices):
    ONLINE_SAFETY = "online_safety", "Online safety policy"
    SOCIAL_MEDIA = "social_media", "Social media policy"
    AUP = "aup", "Acceptable use policy"
    IMAGE_USE = "image_use", "Use of images"
    MOBILE_PHONES = "mobile_phones", "Mobile phones and devices"
    OTHER = "other", "Other"


class Audience(models.TextChoices):
    STAFF = "staff", "Staff"
    GOVERNORS = "governors", "Governors"
    PARENTS = "parents", "Parents and carers"
    PUPILS_EYFS = "pupils_eyfs", "Pupils: early years"
    PUPILS_KS1 = "pupils_ks1", "Pupils: key stage 1"
    PUPILS_KS2 = "pupils_ks2", "Pupils: key stage 2"
    PUPILS_KS3 = "pupils_ks3", "Pupils: key stage 3"
    PUPILS_KS4 = "pupils_ks4", "Pupils: key stage 4"
    PUPILS_KS5 = "pupils_ks5", "Pupils: sixth form"
    VISITORS = "visitors", "Visitors"


PUPIL_AUDIENCES = frozenset(a for a in Audience.values if a.startswith("pupils_"))


class Policy(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="policies")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="policies_owned"
    )
    # Whom it applies to: a PolicyAudience row each. AUPs usually have one audience each (the
    # staff AUP, the KS2 pupils' AUP); a policy such as the online-safety policy may apply to
    # several.
    requires_acceptance = models.BooleanField(
        default=False, help_text="Everyone in its audiences must accept each published version."
    )
    is_public = models.BooleanField(
        default=True, help_text="Shown on the school's public policies page once published."
    )

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.title

    @property
    def audiences(self) -> list[str]:
        """The Audience values it applies to, in order. Read once per policy object (from a
        prefetch when its selector made one), so a loop over versions costs no query each."""
        prefetch_related_objects([self], "applies_to")
        return [row.audience for row in self.applies_to.all()]

    def get_audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [labels.get(a, a) for a in self.audiences]


class PolicyAudience(models.Model):
    """One audience a policy applies to. A row each (not a list on the policy) so the database
    finds, say, the visitors' AUP or what a parent must accept.

    No school of its own: it is only ever read through its policy, which carries the school."""

    policy = models.ForeignKey(Policy, models.CASCADE, related_name="applies_to")
    audience = models.CharField(max_length=32, choices=Audience.choices)

    class Meta:
        ordering = ["audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "audience"], name="policies_policy_audience_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy}: {self.get_audience_display()}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class ApprovedBy(models.TextChoices):
    HEAD = "head", "Headteacher"
    GOVERNORS = "governors", "Governing board"


class PolicyVersion(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    policy = models.ForeignKey(Policy, models.PROTECT, related_name="versions")
    number = models.CharField(max_length=20, help_text="For example 3 or 2.1")
    body = models.TextField(help_text="Markdown. Shown through a sanitiser: no scripts, no styles.")
    effective_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=VersionStatus.choices, default="draft")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    approved_by_body = models.CharField(
        "approved by", max_length=16, choices=ApprovedBy.choices, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    approval_note = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    next_review_due = models.DateField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["policy", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policies_version_number"),
            models.UniqueConstraint(
                fields=["policy"],
                condition=Q(status="published"),
                name="policies_one_published_version",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (~Q(approved_by_body="") & Q(approved_on__isnull=False)),
                name="policies_version_approved_has_who_when",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "retired"])
                | (Q(published_at__isnull=False) & Q(next_review_due__isnull=False)),
                name="policies_version_published_has_review_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"


class Method(models.TextChoices):
    ONLINE = "online", "Online"
    IN_CLASS = "in_class", "In class"
    PAPER = "paper", "On paper"
    KIOSK = "kiosk", "At the reception kiosk"


class AcceptanceKind(models.TextChoices):
    OWN = "own", "Accepted for themselves"
    COSIGN = "cosign", "Parent co-signed for their child"
    PUPIL = "pupil", "Pupil signed off"
    VISITOR = "visitor", "Visitor"


class Visitor(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="visitors")
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    visiting = models.CharField("who they are visiting", max_length=200)
    arrived_at = models.DateTimeField(auto_now_add=True)
    kiosk = models.ForeignKey("KioskLink", models.PROTECT, null=True, related_name="visitors")
    # The key of the kiosk form that recorded this visitor: a double tap or a resent form
    # carries the same key, and records the visitor once.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-arrived_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.arrived_at:%Y-%m-%d})"


class Acceptance(models.Model):
    """Someone accepted a version. Append-only: never updated, never deleted.

    "The parent agreed" (kind own, pupil empty) and "the parent co-signed for this child" (kind
    cosign, pupil set) are separate rows, so the two never blur.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(PolicyVersion, models.PROTECT, related_name="acceptances")
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=AcceptanceKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="acceptances"
    )
    pupil = models.ForeignKey(
        "people.Pupil", models.PROTECT, null=True, blank=True, related_name="acceptances"
    )
    visitor = models.OneToOneField(
        Visitor, models.PROTECT, null=True, blank=True, related_name="acceptance"
    )
    method = models.CharField(max_length=16, choices=Method.choices)
    typed_name = models.CharField("signature (typed name)", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            # Accepting twice records once.
            models.UniqueConstraint(
                fields=["version", "user"],
                condition=Q(kind="own"),
                name="policies_accept_own_once",
            ),
            models.UniqueConstraint(
                fields=["version", "user", "pupil"],
                condition=Q(kind="cosign"),
                name="policies_cosign_once",
            ),
            models.UniqueConstraint(
                fields=["version", "pupil"],
                condition=Q(kind="pupil"),
                name="policies_pupil_signoff_once",
            ),
            models.CheckConstraint(
                condition=(Q(kind="own") & Q(user__isnull=False) & Q(pupil__isnull=True))
                | (Q(kind="cosign") & Q(user__isnull=False) & Q(pupil__isnull=False))
                | (Q(kind="pupil") & Q(pupil__isnull=False) & Q(recorded_by__isnull=False))
                | (Q(kind="visitor") & Q(visitor__isnull=False) & Q(user__isnull=True)),
                name="policies_acceptance_kind_matches_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_kind_display()} · {self.accepted_at:%Y-%m-%d}"


class KioskLink(models.Model):
    """A link the office opens on the reception tablet. No sign-in, reaches only the visitor
    AUP; revoked when the tablet is lost or replaced."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="kiosk_links")
    label = models.CharField(max_length=100, help_text="Where it is used, e.g. Main reception")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
