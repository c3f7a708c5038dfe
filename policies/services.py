"""Every write about policies and acceptances, each with its audit event."""

import datetime
import hashlib
import secrets
import uuid
from collections.abc import Sequence

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from esafety.audit.services import Entry, audit_record, audit_record_many
from esafety.people.models import Guardian, Membership, Pupil, Role, School, SchoolClass, User
from policies.audiences import member_audiences, pupil_audience
from policies.models import (
    Acceptance,
    AcceptanceKind,
    ApprovedBy,
    Audience,
    KioskLink,
    Method,
    Policy,
    PolicyVersion,
    VersionStatus,
    Visitor,
)
from policies.selectors_accept import ANY_CLASS_ROLES


def _roles_at(user: User, school: School) -> set[str]:
    return set(
        Membership.objects.filter(user=user, school=school, is_active=True).values_list(
            "role", flat=True
        )
    )


class PolicyError(Exception):
    """A rule stops this action; the message says what to do.

    A refusal about one value the caller gave is a ValidationError keyed by the argument's name
    instead (for example {"next_review_due": ...}), so a form can show it beside its field."""


GOVERNORS_MEETING_REQUIRED = (
    "Say which meeting of the governing board approved it, for example "
    "“Full governing board, 12 March, minute 7”."
)
REVIEW_AFTER_TODAY = "The next review must be after today."
REVIEW_AFTER_EFFECTIVE = "The next review must be after the date it takes effect."


def _check_review_date(next_review_due: datetime.date, effective_date: datetime.date | None):
    if next_review_due <= timezone.localdate():
        raise ValidationError({"next_review_due": REVIEW_AFTER_TODAY})
    if effective_date is not None and next_review_due <= effective_date:
        raise ValidationError({"next_review_due": REVIEW_AFTER_EFFECTIVE})


def _audit(actor, version_or_policy, action: str, summary: str = "") -> None:
    policy = getattr(version_or_policy, "policy", version_or_policy)
    audit_record(
        actor=actor, school=policy.school, action=action, obj=version_or_policy, summary=summary
    )


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
    unknown = set(audiences) - set(Audience.values)
    if unknown:
        raise ValidationError(f"Unknown audiences: {sorted(unknown)}")
    if not Membership.objects.filter(user=owner, school=school, is_active=True).exists():
        raise ValidationError({"owner": "The owner must be a member of the school."})
    policy = Policy(
        school=school,
        title=title.strip(),
        kind=kind,
        owner=owner,
        audiences=sorted(set(audiences)),
        requires_acceptance=requires_acceptance,
        is_public=is_public,
    )
    policy.full_clean()
    policy.save()
    _audit(actor, policy, "policy.created", policy.title)
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
    if not Membership.objects.filter(user=owner, school=policy.school, is_active=True).exists():
        raise ValidationError({"owner": "The owner must be a member of the school."})
    policy.title = title.strip()
    policy.owner = owner
    policy.audiences = sorted(set(audiences))
    policy.requires_acceptance = requires_acceptance
    policy.is_public = is_public
    policy.full_clean()
    policy.save()
    _audit(actor, policy, "policy.updated", policy.title)
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
    _audit(actor, version, "policy_version.created", f"v{version.number}")
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
    _audit(actor, version, "policy_version.edited", f"v{version.number}")
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
    roles = _roles_at(actor, school)
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
    _audit(actor, version, "policy_version.approved", f"v{version.number} by {approved_by_body}")
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
        _audit(actor, old, "policy_version.retired", f"v{old.number}, replaced")
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.published_by = actor
    version.effective_date = effective_date
    version.next_review_due = next_review_due
    version.full_clean()
    version.save()
    _audit(
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
    _audit(actor, version, "policy_version.review_date_set", f"{next_review_due:%Y-%m-%d}")
    return version


@transaction.atomic
def version_retire(*, actor: User, version: PolicyVersion) -> PolicyVersion:
    if version.status != VersionStatus.PUBLISHED:
        raise PolicyError("Only the published version can be retired.")
    version.status = VersionStatus.RETIRED
    version.retired_at = timezone.now()
    version.save(update_fields=["status", "retired_at", "updated_at"])
    _audit(actor, version, "policy_version.retired", f"v{version.number}")
    return version


def _require_acceptable(version: PolicyVersion) -> None:
    if version.status != VersionStatus.PUBLISHED or not version.policy.requires_acceptance:
        raise PolicyError("This version is not open for acceptance.")


def _create_once(acceptance: Acceptance, lookup: dict) -> tuple[Acceptance, bool]:
    """Save the acceptance unless the same one exists: accepting twice records once, even when
    two submits race (the unique constraint decides)."""
    existing = Acceptance.objects.filter(**lookup).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            acceptance.full_clean()
            acceptance.save()
    except IntegrityError:
        return Acceptance.objects.get(**lookup), False
    return acceptance, True


def _clean_name(typed_name: str) -> str:
    name = " ".join(typed_name.split())
    if len(name) < 2:
        raise PolicyError("Type your full name as your signature.")
    return name


@transaction.atomic
def acceptance_record_own(
    *,
    actor: User,
    version: PolicyVersion,
    typed_name: str,
    method: str = Method.ONLINE,
    ip: str | None = None,
    user_agent: str = "",
) -> Acceptance:
    """Staff, governors and parents accept a version for themselves."""
    _require_acceptable(version)
    school = version.policy.school
    roles = _roles_at(actor, school)
    if not member_audiences(roles) & set(version.policy.audiences):
        raise PolicyError("This policy is not one you are asked to accept.")
    acceptance, created = _create_once(
        Acceptance(
            version=version,
            school=school,
            kind=AcceptanceKind.OWN,
            user=actor,
            method=method,
            typed_name=_clean_name(typed_name),
            recorded_by=actor,
            ip=ip,
            user_agent=user_agent[:400],
        ),
        {"version": version, "user": actor, "kind": AcceptanceKind.OWN},
    )
    if created:
        _audit(actor, version, "acceptance.recorded", f"v{version.number}, {method}")
    return acceptance


@transaction.atomic
def acceptance_cosign(
    *,
    actor: User,
    version: PolicyVersion,
    pupil: Pupil,
    typed_name: str,
    ip: str | None = None,
    user_agent: str = "",
) -> Acceptance:
    """A parent co-signs their own child's AUP, and only their own child's."""
    _require_acceptable(version)
    school = version.policy.school
    is_theirs = Guardian.objects.filter(
        pupil=pupil, pupil__school=school, user=actor, pupil__left_date__isnull=True
    ).exists()
    if not is_theirs:
        raise PolicyError("You can co-sign only for your own children.")
    if pupil_audience(pupil) not in version.policy.audiences:
        raise PolicyError("This AUP is not the one for your child's year group.")
    acceptance, created = _create_once(
        Acceptance(
            version=version,
            school=school,
            kind=AcceptanceKind.COSIGN,
            user=actor,
            pupil=pupil,
            method=Method.ONLINE,
            typed_name=_clean_name(typed_name),
            recorded_by=actor,
            ip=ip,
            user_agent=user_agent[:400],
        ),
        {"version": version, "user": actor, "pupil": pupil, "kind": AcceptanceKind.COSIGN},
    )
    if created:
        audit_record(
            actor=actor,
            school=school,
            action="acceptance.cosigned",
            obj=version,
            summary=f"v{version.number} for pupil MIS {pupil.mis_id}",
        )
    return acceptance


@transaction.atomic
def acceptance_in_class(
    *,
    actor: User,
    version: PolicyVersion,
    pupils: Sequence[Pupil],
    method: str = Method.IN_CLASS,
    ip: str | None = None,
    user_agent: str = "",
) -> int:
    """A teacher records that these pupils signed the AUP in class (or on paper). Returns how
    many were newly recorded; pupils already signed are left as they were.

    Only the pupil's class teacher records it (the head and the online safety lead may for any
    class): the record says a named adult saw the child sign, so it must be one who was there."""
    _require_acceptable(version)
    if method not in (Method.IN_CLASS, Method.PAPER):
        raise PolicyError("In class or on paper.")
    school = version.policy.school
    taught: set[int] | None = None  # None: any class
    if _roles_at(actor, school).isdisjoint(ANY_CLASS_ROLES):
        taught = set(
            SchoolClass.objects.filter(school=school, teacher=actor).values_list("pk", flat=True)
        )
    new = 0
    entries = []
    for pupil in pupils:
        if pupil.school_id != school.pk or pupil.left_date is not None:
            raise PolicyError("A pupil not on this school's roll cannot be signed off.")
        if taught is not None and pupil.school_class_id not in taught:
            raise PolicyError(
                "Only a pupil's class teacher can record their sign-off. If you teach the "
                "class, ask the school office to name you as its class teacher."
            )
        if pupil_audience(pupil) not in version.policy.audiences:
            raise PolicyError(f"This AUP is not for {pupil.year_group}.")
        _acc, created = _create_once(
            Acceptance(
                version=version,
                school=school,
                kind=AcceptanceKind.PUPIL,
                pupil=pupil,
                method=method,
                typed_name=pupil.full_name,
                recorded_by=actor,
                ip=ip,
                user_agent=user_agent[:400],
            ),
            {"version": version, "pupil": pupil, "kind": AcceptanceKind.PUPIL},
        )
        if created:
            new += 1
            entries.append(
                Entry(
                    action="acceptance.pupil_signed_off",
                    obj=version,
                    summary=f"v{version.number} for pupil MIS {pupil.mis_id}, {method}",
                )
            )
    audit_record_many(actor=actor, school=school, entries=entries)
    return new


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def kiosk_link_create(*, actor: User, school: School, label: str) -> tuple[KioskLink, str]:
    token = secrets.token_urlsafe(24)
    link = KioskLink(
        school=school, label=label.strip(), token_hash=_token_hash(token), created_by=actor
    )
    link.full_clean()
    link.save()
    audit_record(actor=actor, school=school, action="kiosk.created", obj=link, summary=link.label)
    return link, token


def kiosk_for_token(token: str) -> KioskLink | None:
    link = KioskLink.objects.select_related("school").filter(token_hash=_token_hash(token)).first()
    return link if link is not None and link.is_active else None


@transaction.atomic
def kiosk_link_revoke(*, actor: User, link: KioskLink) -> None:
    if link.revoked_at:
        return
    link.revoked_at = timezone.now()
    link.revoked_by = actor
    link.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor, school=link.school, action="kiosk.revoked", obj=link, summary=link.label
    )


def visitor_aup(school: School) -> PolicyVersion | None:
    """The published AUP whose audience is visitors. (A school has a handful of policies, so
    they are filtered here rather than with a JSON lookup SQLite lacks.)"""
    for version in PolicyVersion.objects.filter(
        policy__school=school, policy__requires_acceptance=True, status=VersionStatus.PUBLISHED
    ).select_related("policy"):
        if Audience.VISITORS in version.policy.audiences:
            return version
    return None


@transaction.atomic
def visitor_accept(
    *,
    kiosk: KioskLink,
    name: str,
    organisation: str,
    visiting: str,
    typed_name: str,
    submission: uuid.UUID | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> Acceptance:
    kiosk = KioskLink.objects.select_for_update().get(pk=kiosk.pk)
    if submission is not None:
        # The kiosk is locked above, so a resent form waits here and then finds the first.
        done = Acceptance.objects.filter(visitor__submission=submission, school=kiosk.school)
        if done.exists():
            return done.get()
    if not kiosk.is_active:
        raise PolicyError("This kiosk link has been switched off. Please ask at reception.")
    version = visitor_aup(kiosk.school)
    if version is None:
        raise PolicyError("There is no visitor AUP to accept yet. Please ask at reception.")
    visitor = Visitor(
        school=kiosk.school,
        name=" ".join(name.split()),
        organisation=organisation.strip(),
        visiting=visiting.strip(),
        kiosk=kiosk,
        submission=submission,
    )
    visitor.full_clean()
    visitor.save()
    acceptance = Acceptance(
        version=version,
        school=kiosk.school,
        kind=AcceptanceKind.VISITOR,
        visitor=visitor,
        method=Method.KIOSK,
        typed_name=_clean_name(typed_name),
        ip=ip,
        user_agent=user_agent[:400],
    )
    acceptance.full_clean()
    acceptance.save()
    audit_record(
        actor=None,
        school=kiosk.school,
        action="acceptance.visitor",
        obj=version,
        summary=f"v{version.number} at kiosk {kiosk.label}",
    )
    return acceptance


def export_record(*, actor: User, school: School, what: str, with_names: bool) -> None:
    """A download of people's names leaves the system: record who took it, and when."""
    audit_record(
        actor=actor,
        school=school,
        action=f"export.{what}",
        object_type="export",
        summary="with names" if with_names else "counts only",
    )
