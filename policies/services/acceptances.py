"""Accepting a version: members for themselves, parents co-signing for their children, and a
class teacher recording their pupils' sign-off. Accepting twice records once."""

from collections.abc import Sequence

from django.db import IntegrityError, transaction

from esafety.audit.services import Entry, audit_record, audit_record_many
from esafety.people.models import Guardian, Pupil, SchoolClass, User
from policies.audiences import member_audiences, pupil_audience
from policies.models import Acceptance, AcceptanceKind, Method, PolicyVersion, VersionStatus
from policies.selectors.accept import ANY_CLASS_ROLES
from policies.services.common import PolicyError, audit, clean_signature, roles_at


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
    roles = roles_at(actor, school)
    if not version.policy.applies_to.filter(audience__in=member_audiences(roles)).exists():
        raise PolicyError("This policy is not one you are asked to accept.")
    acceptance, created = _create_once(
        Acceptance(
            version=version,
            school=school,
            kind=AcceptanceKind.OWN,
            user=actor,
            method=method,
            typed_name=clean_signature(typed_name),
            recorded_by=actor,
            ip=ip,
            user_agent=user_agent[:400],
        ),
        {"version": version, "user": actor, "kind": AcceptanceKind.OWN},
    )
    if created:
        audit(actor, version, "acceptance.recorded", f"v{version.number}, {method}")
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
    if not version.policy.applies_to.filter(audience=pupil_audience(pupil)).exists():
        raise PolicyError("This AUP is not the one for your child's year group.")
    acceptance, created = _create_once(
        Acceptance(
            version=version,
            school=school,
            kind=AcceptanceKind.COSIGN,
            user=actor,
            pupil=pupil,
            method=Method.ONLINE,
            typed_name=clean_signature(typed_name),
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
    if roles_at(actor, school).isdisjoint(ANY_CLASS_ROLES):
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
