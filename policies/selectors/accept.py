"""Reads for accepting: what a member still has to accept, the accept page and the in-class
sign-off. Every read is scoped to the school."""

from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import F, QuerySet

from esafety.people.access import SchoolAccess
from esafety.people.models import Pupil, Role, School, SchoolClass, User
from esafety.people.selectors import children_of, school_classes
from policies.audiences import key_stage_audience, member_audiences
from policies.models import (
    PUPIL_AUDIENCES,
    Acceptance,
    AcceptanceKind,
    PolicyVersion,
    VersionStatus,
)
from policies.selectors.library import published_versions

# The head and the online safety lead may record a sign-off for any class; anyone else for the
# classes they teach.
ANY_CLASS_ROLES = (Role.HEAD, Role.ONLINE_SAFETY_LEAD)


@dataclass(frozen=True)
class Outstanding:
    """What one member still has to accept at one school."""

    own: list[PolicyVersion] = field(default_factory=list)
    # (version, child) pairs a parent still has to co-sign.
    cosign: list[tuple[PolicyVersion, Pupil]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.own) + len(self.cosign)


def outstanding_for(*, school: School, user: User, roles: frozenset[str]) -> Outstanding:
    """Published versions this member must accept and has not, and, for a parent, their
    children's AUPs not yet co-signed. Three queries."""
    own_audiences = member_audiences(roles)
    is_parent = Role.PARENT in roles
    # A row per version and audience it is for, among the audiences this member may owe.
    rows = list(
        published_versions(school=school)
        .filter(
            policy__requires_acceptance=True,
            policy__applies_to__audience__in=own_audiences
            | (PUPIL_AUDIENCES if is_parent else set()),
        )
        .annotate(audience=F("policy__applies_to__audience"))
    )
    if not rows:
        return Outstanding()
    mine: set[tuple[int, str, int | None]] = set(
        Acceptance.objects.filter(version__in={v.pk for v in rows}, user=user).values_list(
            "version_id", "kind", "pupil_id"
        )
    )
    own: dict[int, PolicyVersion] = {}
    for v in rows:
        if v.audience in own_audiences and (v.pk, AcceptanceKind.OWN, None) not in mine:
            own.setdefault(v.pk, v)
    cosign: list[tuple[PolicyVersion, Pupil]] = []
    if is_parent:
        for child in children_of(user=user, school=school):
            ks = key_stage_audience(child.year_group)
            for v in rows:
                if v.audience == ks and (v.pk, AcceptanceKind.COSIGN, child.pk) not in mine:
                    cosign.append((v, child))
    return Outstanding(own=list(own.values()), cosign=cosign)


def acceptable_version(*, school: School, code: UUID) -> PolicyVersion | None:
    """A published version of this school that asks to be accepted, or None."""
    return (
        published_versions(school=school)
        .filter(policy__requires_acceptance=True, code=code)
        .first()
    )


def my_acceptances(*, school: School, user: User) -> QuerySet[Acceptance]:
    """What this member has accepted or co-signed of the versions in force now."""
    return (
        Acceptance.objects.filter(
            school=school,
            user=user,
            kind__in=[AcceptanceKind.OWN, AcceptanceKind.COSIGN],
            version__status=VersionStatus.PUBLISHED,
        )
        .select_related("version__policy", "pupil")
        .order_by("version__policy__title", "pupil__first_name")
    )


def classes_for_signoff(*, access: SchoolAccess) -> QuerySet[SchoolClass]:
    qs = school_classes(school=access.school)
    if not access.has(*ANY_CLASS_ROLES):
        qs = qs.filter(teacher=access.user)
    return qs


def class_pupils(*, school_class: SchoolClass) -> QuerySet[Pupil]:
    return school_class.pupils.filter(left_date__isnull=True).order_by("last_name", "first_name")


def pupil_aups(*, school: School) -> dict[str, PolicyVersion]:
    """The published pupils' AUP for each key stage."""
    found: dict[str, PolicyVersion] = {}
    for version in (
        published_versions(school=school)
        .filter(policy__requires_acceptance=True, policy__applies_to__audience__in=PUPIL_AUDIENCES)
        .annotate(audience=F("policy__applies_to__audience"))
    ):
        found.setdefault(version.audience, version)
    return found


def pupil_signoffs(
    *, versions: list[PolicyVersion], pupils: list[Pupil]
) -> dict[tuple[int, int | None], Acceptance]:
    """The pupils' own sign-offs (in class or on paper), by (version id, pupil id)."""
    return {
        (a.version_id, a.pupil_id): a
        for a in Acceptance.objects.filter(
            kind=AcceptanceKind.PUPIL, version__in=versions, pupil__in=pupils
        ).select_related("recorded_by")
    }
