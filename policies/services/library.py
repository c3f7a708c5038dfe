"""The policy library's writes: policies, and their versions from draft to retired."""

import datetime
from collections.abc import Sequence

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from esafety.people.models import Membership, Role, School, User
from policies.models import (
    ApprovedBy,
    Audience,
    Policy,
    PolicyAudience,
    PolicyVersion,
    VersionStatus,
)
from policies.services.common import PolicyError, audit, roles_at

GOVERNORS_MEETING_REQUIRED = (
    "Say which meeting of the governing board approved it, for example "
    "“Full governing board, 12 March, minute 7”."
)
REVIEW_AFTER_TODAY = "The next review must be after today."
REVIEW_AFTER_EFFECTIVE = "The next review must be after the date it takes effect."


def _check_review_date(
    next_review_due: datetime.date, effective_date: datetime.date | None
) -> None:
    if next_review_due <= timezone.localdate():
        raise ValidationError({"next_review_due": REVIEW_AFTER_TODAY})
    if effective_date is not None and next_review_due <= effective_date:
        raise ValidationError({"next_review_due": REVIEW_AFTER_EFFECTIVE})


def _check_audiences(audiences: Sequence[str]) -> None:
    if not audiences:
        raise ValidationError({"audiences": "Say whom the policy applies to."})
    unknown = set(audiences) - set(Audience.values)
    if unknown:
        raise ValidationError({"audiences": f"Unknown audiences: {sorted(unknown)}"})


def _set_audiences(policy: Policy, audiences: Sequence[str]) -> None:
    wanted = set(audiences)
    policy.applies_to.exclude(audience__in=wanted).delete()
    have = set(policy.applies_to.values_list("audience", flat=True))
    PolicyAudience.objects.bulk_create(
        PolicyAudience(policy=policy, audience=a) for a in sorted(wanted - have)
    )
    # The next read of policy.audiences sees the rows just written, not a prefetch from before.
    policy.refresh_from_db()


@transaction.atomic
def policy_create(
    *,
    actor: User,
    school: School,
    title: str,
    kind: str,
    owner: User,
    audiences: Sequence[str],
    requires_acceptance: bool,
    is_public: bool = True,
) -> Policy:
    _check_audiences(audiences)
    if not Membership.objects.filter(user=owner, school=school, is_active=True).exists():
        raise ValidationError({"owner": "The owner must be a member of the school."})
    policy = Policy(
        school=school,
        title=title.strip(),
        kind=kind,
        owner=owner,
        requires_acceptance=requires_acceptance,
        is_public=is_public,
    )
    policy.full_clean()
    policy.save()
    _set_audiences(policy, audiences)
    audit(actor, policy, "policy.created", policy.title)
    return policy


@transaction.atomic
def policy_update(
    *,
    actor: User,
    policy: Policy,
    title: str,
    owner: User,
    audiences: Sequence[str],
    requires_acceptance: bool,
    is_public: bool,
) -> Policy:
    _check_audiences(audiences)
    if not Membership.objects.filter(user=owner, school=policy.school, is_active=True).exists():
        raise ValidationError({"owner": "The owner must be a member of the school."})
    policy.title = title.strip()
    policy.owner = owner
    policy.requires_acceptance = requires_acceptance
    policy.is_public = is_public
    policy.full_clean()
    policy.save()
    _set_audiences(policy, audiences)
    audit(actor, policy, "policy.updated", policy.title)
    return policy


@transaction.atomic
def version_create(*, actor: User, policy: Policy, number: str, body: str) -> PolicyVersion:
    if PolicyVersion.objects.filter(policy=policy, number=number.strip()).exists():
        raise ValidationError(
            {"number": f"Version {number} exists already: choose another number."}
        )
    version = PolicyVersion(policy=policy, number=number.strip(), body=body, created_by=actor)
    version.full_clean()
    version.save()
    audit(actor, version, "policy_version.created", f"v{version.number}")
    return version


@transaction.atomic
def version_update_draft(
    *, actor: User, version: PolicyVersion, number: str, body: str
) -> PolicyVersion:
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        # What was approved is what is published: an approved text is never edited.
        raise PolicyError("Only a draft can be edited. Start a new version instead.")
    version.number = number.strip()
    version.body = body
    version.full_clean()
    version.save()
    audit(actor, version, "policy_version.edited", f"v{version.number}")
    return version


@transaction.atomic
def version_approve(
    *,
    actor: User,
    version: PolicyVersion,
    approved_by_body: str,
    approved_on: datetime.date,
    note: str = "",
) -> PolicyVersion:
    """Record the approval: by the head (who must be the actor), or by the governing board
    (recorded by the head or the online safety lead, with the meeting's date and, in `note`,
    which meeting it was: the board's minutes are the record an inspector asks for)."""
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise PolicyError("Only a draft can be approved.")
    if not version.body.strip():
        raise PolicyError("The version has no text yet.")
    school = version.policy.school
    roles = roles_at(actor, school)
    if approved_by_body not in ApprovedBy.values:
        raise ValidationError({"approved_by_body": "Say who approved it."})
    if approved_by_body == ApprovedBy.HEAD and Role.HEAD not in roles:
        raise PolicyError("Only the headteacher can approve as headteacher.")
    if not roles & {Role.HEAD, Role.ONLINE_SAFETY_LEAD}:
        raise PolicyError("Only the headteacher or the online safety lead records an approval.")
    if approved_on > timezone.localdate():
        raise ValidationError({"approved_on": "The approval date cannot be in the future."})
    meeting = " ".join(note.split())
    if approved_by_body == ApprovedBy.GOVERNORS and not meeting:
        raise ValidationError({"note": GOVERNORS_MEETING_REQUIRED})
    version.status = VersionStatus.APPROVED
    version.approved_by_body = approved_by_body
    version.approved_by = actor
    version.approved_on = approved_on
    version.approval_note = meeting
    version.full_clean()
    version.save()
    audit(actor, version, "policy_version.approved", f"v{version.number} by {approved_by_body}")
    return version


@transaction.atomic
def version_publish(
    *,
    actor: User,
    version: PolicyVersion,
    effective_date: datetime.date | None = None,
    next_review_due: datetime.date | None = None,
) -> PolicyVersion:
    """Publish an approved version; the one it replaces is retired (and stays readable, with its
    acceptances). The next review falls a year on unless another date is given."""
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.APPROVED:
        raise PolicyError("Only an approved version can be published.")
    today = timezone.localdate()
    effective_date = effective_date or today
    next_review_due = next_review_due or (effective_date + relativedelta(years=1))
    _check_review_date(next_review_due, effective_date)
    now = timezone.now()
    for old in PolicyVersion.objects.select_for_update().filter(
        policy=version.policy, status=VersionStatus.PUBLISHED
    ):
        old.status = VersionStatus.RETIRED
        old.retired_at = now
        old.save(update_fields=["status", "retired_at", "updated_at"])
        audit(actor, old, "policy_version.retired", f"v{old.number}, replaced")
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.published_by = actor
    version.effective_date = effective_date
    version.next_review_due = next_review_due
    version.full_clean()
    version.save()
    audit(
        actor,
        version,
        "policy_version.published",
        f"v{version.number}, review due {next_review_due:%Y-%m-%d}",
    )
    return version


@transaction.atomic
def version_set_review_date(
    *, actor: User, version: PolicyVersion, next_review_due: datetime.date
) -> PolicyVersion:
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.PUBLISHED:
        raise PolicyError("Only the published version has a review date to change.")
    _check_review_date(next_review_due, version.effective_date)
    version.next_review_due = next_review_due
    version.save(update_fields=["next_review_due", "updated_at"])
    audit(actor, version, "policy_version.review_date_set", f"{next_review_due:%Y-%m-%d}")
    return version


@transaction.atomic
def version_retire(*, actor: User, version: PolicyVersion) -> PolicyVersion:
    if version.status != VersionStatus.PUBLISHED:
        raise PolicyError("Only the published version can be retired.")
    version.status = VersionStatus.RETIRED
    version.retired_at = timezone.now()
    version.save(update_fields=["status", "retired_at", "updated_at"])
    audit(actor, version, "policy_version.retired", f"v{version.number}")
    return version
