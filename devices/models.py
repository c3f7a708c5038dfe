"""Devices: the exceptions register, the hand-in desk, confiscations and searches, devices held
as evidence with their chain of custody, and school equipment.

What happened to a device is an append-only chain (CustodyEvent): every movement, hand-over,
release and hand-over to the police is a new row, protected by a PostgreSQL trigger like a
concern's timeline. The Device row keeps where it is now, for the lists; the chain is the record.
"""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from esafety.base import TimeStampedModel


class DeviceSettings(models.Model):
    """A school's own numbers for devices, made on first use with these defaults."""

    school = models.OneToOneField("people.School", models.CASCADE, related_name="device_settings")
    end_of_day = models.TimeField(
        default=datetime.time(15, 30),
        help_text="When pupils go home: phones still held then alert the office.",
    )
    held_days = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Days a confiscated device may be held before the office is reminded daily.",
    )

    def __str__(self) -> str:
        return f"Device settings of {self.school}"


class ExceptionReason(models.TextChoices):
    WALKS_HOME = "walks_home", "Walks home alone"
    YOUNG_CARER = "young_carer", "Young carer"
    MEDICAL = "medical", "Medical need (the phone is never taken away)"
    OTHER = "other", "Other"


class PhoneException(TimeStampedModel):
    """A pupil allowed to bring a phone, and why. A medical exception (a glucose monitor) is a
    reasonable adjustment: the phone stays with the pupil and the exception cannot be withdrawn."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.CASCADE, related_name="+")
    pupil = models.ForeignKey("people.Pupil", models.PROTECT, related_name="phone_exceptions")
    reason = models.CharField(max_length=16, choices=ExceptionReason.choices)
    detail = models.CharField(max_length=300, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    review_due = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["review_due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="devices_exception_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(reason="medical") | Q(ended_on__isnull=True),
                name="devices_exception_medical_not_ended",
            ),
        ]
        indexes = [models.Index(fields=["school", "review_due"], name="devices_exc_review")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {self.starts_on}"

    @property
    def is_medical(self) -> bool:
        return self.reason == ExceptionReason.MEDICAL

    def current_on(self, day: datetime.date) -> bool:
        return (
            self.ended_on is None
            and self.starts_on <= day
            and (self.ends_on is None or self.ends_on >= day)
        )


class HandIn(models.Model):
    """A phone handed in at the desk on a school day, and when it went back."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.CASCADE, related_name="+")
    pupil = models.ForeignKey("people.Pupil", models.PROTECT, related_name="hand_ins")
    day = models.DateField()
    checked_in_at = models.DateTimeField()
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    condition = models.CharField(max_length=200, blank=True, help_text="Only if it is damaged.")
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "day"], name="devices_handin_once_a_day"),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_by__isnull=False),
                name="devices_handin_returned_by_someone",
            ),
        ]
        indexes = [models.Index(fields=["school", "day"], name="devices_handin_day")]

    def __str__(self) -> str:
        return f"Phone handed in on {self.day}"


class DeviceKind(models.TextChoices):
    PHONE = "phone", "Mobile phone"
    TABLET = "tablet", "Tablet"
    WATCH = "watch", "Smart watch"
    LAPTOP = "laptop", "Laptop"
    OTHER = "other", "Other"


class DeviceStatus(models.TextChoices):
    HELD = "held", "Held by the school"
    RELEASED = "released", "Released"
    WITH_POLICE = "with_police", "Handed to the police"


class Device(TimeStampedModel):
    """A device the school has taken: confiscated from a pupil, or held as evidence (linked to a
    concern by its code: this app does not import the concerns app, the concern's page shows the
    device through a panel). Its state is here; its history is the append-only chain."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    pupil = models.ForeignKey(
        "people.Pupil", models.PROTECT, null=True, blank=True, related_name="devices_taken"
    )
    kind = models.CharField(max_length=16, choices=DeviceKind.choices, default=DeviceKind.PHONE)
    description = models.CharField(max_length=200, help_text="Make, colour, case: no contents.")
    reason = models.CharField(max_length=500)
    condition = models.CharField(max_length=200, blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    taken_at = models.DateTimeField()
    held_at = models.CharField("where it is held", max_length=200)
    status = models.CharField(max_length=16, choices=DeviceStatus.choices, default="held")
    # A phone found on a pupil with no exception for one: the phone-free rule was broken.
    breach = models.BooleanField(default=False)
    # Evidence: quarantined, linked to a concern, released only by the DSL.
    is_evidence = models.BooleanField(default=False)
    concern_code = models.UUIDField(null=True, blank=True, db_index=True)
    sealed_bag = models.CharField("sealed bag number", max_length=50, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-taken_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_evidence=False)
                | (Q(concern_code__isnull=False) & ~Q(sealed_bag="")),
                name="devices_device_evidence_is_sealed_and_linked",
            ),
            models.CheckConstraint(
                condition=~Q(status="with_police") | Q(is_evidence=True),
                name="devices_device_police_only_evidence",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status", "is_evidence"], name="devices_device_held"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"

    @property
    def held(self) -> bool:
        return self.status == DeviceStatus.HELD


class CustodyKind(models.TextChoices):
    TAKEN = "taken", "Taken"
    MOVED = "moved", "Moved to a place"
    HANDED = "handed", "Handed to a person"
    RETURNED = "returned", "Returned"
    POLICE = "police", "Handed to the police"


class CustodyEvent(models.Model):
    """One movement of a device: append-only (a PostgreSQL trigger refuses UPDATE and DELETE),
    so a third party can follow every hand-over from taking to release."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    device = models.ForeignKey(Device, models.PROTECT, related_name="custody")
    kind = models.CharField(max_length=16, choices=CustodyKind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    place = models.CharField(max_length=200, blank=True)
    # To whom: a member of staff, a parent, an officer, by name as written.
    person = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["device", "at"], name="devices_custody_chain")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at}"


class Release(models.Model):
    """A device handed back: to one of the pupil's guardians, or to another named adult with a
    reason; or, for evidence, by the DSL with the police's advice. Append-only."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    device = models.OneToOneField(Device, models.PROTECT, related_name="release")
    guardian = models.ForeignKey(
        "people.Guardian", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_name = models.CharField(max_length=200)
    other_reason = models.CharField(max_length=300, blank=True)
    police_advice = models.CharField(max_length=500, blank=True)
    signature = models.CharField("typed signature", max_length=200)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(signature="") & ~Q(to_name=""), name="devices_release_signed"
            ),
            models.CheckConstraint(
                condition=Q(guardian__isnull=False) | ~Q(other_reason=""),
                name="devices_release_other_adult_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Released on {self.at:%Y-%m-%d}"


class PoliceHandover(models.Model):
    """An evidence device handed to the police. Append-only."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    device = models.OneToOneField(Device, models.PROTECT, related_name="handover")
    reference = models.CharField("police reference", max_length=100)
    officer = models.CharField("officer's name and number", max_length=200)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Handed to the police on {self.at:%Y-%m-%d}"


class Search(models.Model):
    """A search of a pupil or of a device: who authorised it, who searched, who witnessed it,
    why, what was found. Append-only; the headteacher oversees them."""

    class Of(models.TextChoices):
        PUPIL = "pupil", "The pupil's outer clothing and bag"
        DEVICE = "device", "A device"
        LOCKER = "locker", "A locker or desk"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.PROTECT, related_name="+")
    pupil = models.ForeignKey("people.Pupil", models.PROTECT, related_name="searches")
    of = models.CharField("what was searched", max_length=16, choices=Of.choices)
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    searched_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    witnessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    found = models.CharField("what was found", max_length=500)
    at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(searched_by=models.F("witnessed_by")),
                name="devices_search_witness_is_someone_else",
            ),
        ]
        indexes = [models.Index(fields=["school", "at"], name="devices_search_at")]

    def __str__(self) -> str:
        return f"Search on {self.at:%Y-%m-%d}"


class EquipmentKind(models.TextChoices):
    CAMERA = "camera", "Camera"
    TABLET = "tablet", "Tablet"
    LAPTOP = "laptop", "Laptop"


class Equipment(TimeStampedModel):
    """A school camera, tablet or laptop, and who has it off site."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("people.School", models.CASCADE, related_name="+")
    asset_tag = models.CharField(max_length=50)
    kind = models.CharField(max_length=16, choices=EquipmentKind.choices)
    description = models.CharField(max_length=200, blank=True)
    encrypted = models.BooleanField(default=False)
    off_site_with = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    off_site_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asset_tag"]
        constraints = [
            models.UniqueConstraint(fields=["school", "asset_tag"], name="devices_equipment_tag"),
            models.CheckConstraint(
                condition=Q(off_site_with__isnull=True, off_site_since__isnull=True)
                | Q(off_site_with__isnull=False, off_site_since__isnull=False),
                name="devices_equipment_off_site_with_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset_tag} ({self.get_kind_display()})"


class EquipmentMovement(models.Model):
    """A check-out or check-in of school equipment. Append-only."""

    class Kind(models.TextChoices):
        OUT = "out", "Checked out"
        IN = "in", "Checked in"

    equipment = models.ForeignKey(Equipment, models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at}"


class CameraWipe(models.Model):
    """The office's weekly confirmation that images were deleted from the school's cameras."""

    school = models.ForeignKey("people.School", models.CASCADE, related_name="+")
    week = models.CharField(max_length=8, help_text='ISO week, "2026-W49".')
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "week"], name="devices_camerawipe_weekly"),
        ]

    def __str__(self) -> str:
        return f"Camera images deleted in {self.week}"
