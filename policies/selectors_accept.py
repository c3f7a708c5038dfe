"""Reads for accepting: the accept page, the in-class sign-off and the class teachers' page.

Kept beside selectors.py (as forms_accept.py is beside the library's forms) so the library and
acceptance can change without treading on each other. Every read is scoped to the school.
"""

from uuid import UUID

from django.db.models import Count, Q, QuerySet

from esafety.people.access import SchoolAccess
from esafety.people.models import STAFF_ROLES, Pupil, Role, School, SchoolClass, User
from policies.models import (
    PUPIL_AUDIENCES,
    Acceptance,
    AcceptanceKind,
    PolicyVersion,
    VersionStatus,
)
from policies.selectors import published_versions

# The head and the online safety lead may record a sign-off for any class; anyone else for the
# classes they teach.
ANY_CLASS_ROLES = (Role.HEAD, Role.ONLINE_SAFETY_LEAD)


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
    qs = (
        SchoolClass.objects.filter(school=access.school)
        .select_related("teacher")
        .annotate(on_roll=Count("pupils", filter=Q(pupils__left_date__isnull=True)))
        .order_by("name")
    )
    if not access.has(*ANY_CLASS_ROLES):
        qs = qs.filter(teacher=access.user)
    return qs


def pupil_aups(*, school: School) -> dict[str, PolicyVersion]:
    """The published pupils' AUP for each key stage (a school has a handful of policies, so the
    audiences are read here rather than with a JSON lookup SQLite lacks)."""
    found: dict[str, PolicyVersion] = {}
    for version in published_versions(school=school).filter(policy__requires_acceptance=True):
        for audience in version.policy.audiences:
            if audience in PUPIL_AUDIENCES:
                found.setdefault(audience, version)
    return found


def pupil_signoffs(
    *, versions: list[PolicyVersion], pupils: list[Pupil]
) -> dict[tuple[int, int], Acceptance]:
    """The pupils' own sign-offs (in class or on paper), by (version id, pupil id)."""
    return {
        (a.version_id, a.pupil_id): a
        for a in Acceptance.objects.filter(
            kind=AcceptanceKind.PUPIL, version__in=versions, pupil__in=pupils
        ).select_related("recorded_by")
    }


def school_classes(*, school: School) -> QuerySet[SchoolClass]:
    return (
        SchoolClass.objects.filter(school=school)
        .select_related("teacher")
        .annotate(on_roll=Count("pupils", filter=Q(pupils__left_date__isnull=True)))
        .order_by("name")
    )


def class_teacher_choices(*, school: School) -> QuerySet[User]:
    """Who may teach a class: the school's active staff (not governors, not parents)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__school=school,
            memberships__is_active=True,
            memberships__role__in=STAFF_ROLES,
        )
        .distinct()
        .order_by("full_name", "email")
    )
