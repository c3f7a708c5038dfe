"""The filtering app's choices, in the school's own words (filtering/models.py uses them)."""

from django.db import models


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    TERMLY = "termly", "Termly"


class RoleKind(models.TextChoices):
    SENIOR_LEADER = "senior_leader", "Senior leader responsible"
    GOVERNOR = "governor", "Governor responsible"
    DSL = "dsl", "Designated safeguarding lead"
    IT_PROVIDER = "it_provider", "IT service provider's contact"
    PROMPT_CHANGE = "prompt_change", "Who may make a prompt change"


# The roles held by a member of the school (the others may be someone outside it).
MEMBER_ROLE_KINDS = frozenset({RoleKind.SENIOR_LEADER, RoleKind.GOVERNOR, RoleKind.DSL})


class Method(models.TextChoices):
    NETWORK = "network", "Network monitoring"
    DEVICE = "device", "Software on devices"
    PHYSICAL = "physical", "Physical supervision"


class UserGroup(models.TextChoices):
    EYFS = "eyfs", "Pupils: early years"
    KS1 = "ks1", "Pupils: key stage 1"
    KS2 = "ks2", "Pupils: key stage 2"
    KS3 = "ks3", "Pupils: key stage 3"
    KS4 = "ks4", "Pupils: key stage 4"
    KS5 = "ks5", "Pupils: sixth form"
    STAFF = "staff", "Staff"
    GUESTS = "guests", "Guests"


class DeviceType(models.TextChoices):
    WINDOWS = "windows", "Windows computers"
    CHROMEBOOK = "chromebook", "Chromebooks"
    IPAD = "ipad", "iPads"
    MAC = "mac", "Macs"
    ANDROID = "android", "Android tablets"
    STAFF_LAPTOP = "staff_laptop", "Staff laptops"
    GUEST_WIFI = "guest_wifi", "Guest Wi-Fi (own devices)"


class DecisionAction(models.TextChoices):
    BLOCK = "block", "Block"
    ALLOW = "allow", "Allow"


class TargetKind(models.TextChoices):
    SITE = "site", "A site or address"
    CATEGORY = "category", "A category"
    APP = "app", "An app"


class Outcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class CheckCategory(models.TextChoices):
    # The categories of the UK Safer Internet Centre's test-filtering tool (testfiltering.com),
    # and two that schools commonly add.
    CHILD_ABUSE = "child_abuse", "Child sexual abuse content (IWF list)"
    TERRORISM = "terrorism", "Unlawful terrorist content (police list)"
    ADULT = "adult", "Adult content"
    OFFENSIVE = "offensive", "Offensive language"
    SELF_HARM = "self_harm", "Self-harm and suicide"
    GAMBLING = "gambling", "Gambling"


class ReviewItem(models.TextChoices):
    # Drawn from the DfE's filtering and monitoring standards (2023, updated 2024); the text
    # each item shows is in filtering/standards.py.
    ROLES = "roles", "Roles and responsibilities"
    PROVISION = "provision", "Provision on record"
    ILLEGAL = "illegal", "Illegal content blocked"
    DECISIONS = "decisions", "Decisions recorded"
    CHECKS = "checks", "Checks on every device and user group"
    TEACHING = "teaching", "No unreasonable impact on teaching"
    REPORTS = "reports", "Monitoring reports acted on"
    TRAINING = "training", "Staff trained in their part"
    MONITORING_FIT = "monitoring_fit", "Monitoring fits the school's pupils"
    TECHNOLOGY = "technology", "New technology and devices considered"
