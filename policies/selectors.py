"""Reads about policies, scoped to the school; the figures are computed with a fixed number of
queries whatever the size of the school."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from esafety.people.models import STAFF_ROLES, Guardian, Membership, Pupil, Role, School, User
from policies.audiences import key_stage_audience, member_audiences
from policies.models import (
    PUPIL_AUDIENCES,
    Acceptance,
    AcceptanceKind,
    Audience,
    KioskLink,
    Policy,
    PolicyVersion,
    VersionStatus,
    Visitor,
)

REVIEW_WARNING_DAYS = 30


def policies_for_school(*, school: School) -> QuerySet[Policy]:
    return (
        Policy.objects.filter(school=school)
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=PolicyVersion.objects.order_by("-created_at").select_related(
                    "approved_by", "published_by"
                ),
            )
        )
        .order_by("title")
    )


def versions_of(*, policy: Policy) -> QuerySet[PolicyVersion]:
    """The policy's versions, newest first, each with its number of acceptances (old versions
    keep theirs)."""
    return (
        policy.versions.select_related("created_by", "approved_by", "published_by")
        .annotate(acceptance_count=Count("acceptances"))
        .order_by("-created_at")
    )


def versions_for_school(*, school: School) -> QuerySet[PolicyVersion]:
    """Every version of the school's policies, whatever its status, with its acceptance count:
    the one place the library's version pages find a version by its code."""
    return (
        PolicyVersion.objects.filter(policy__school=school)
        .select_related(
            "policy__owner", "policy__school", "created_by", "approved_by", "published_by"
        )
        .annotate(acceptance_count=Count("acceptances"))
    )


def owner_choices(*, school: School) -> QuerySet[User]:
    """Who may own a policy: the school's active staff (not governors, not parents)."""
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


def public_school(*, code: UUID) -> School | None:
    """The school behind a public policies address. Its published public policies are for
    anyone to read (parents' attention is drawn to them), so no membership is needed."""
    return School.objects.filter(code=code).first()


def published_versions(*, school: School, public_only: bool = False) -> QuerySet[PolicyVersion]:
    qs = PolicyVersion.objects.filter(
        policy__school=school, status=VersionStatus.PUBLISHED
    ).select_related("policy")
    if public_only:
        qs = qs.filter(policy__is_public=True)
    return qs.order_by("policy__title")


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
    versions = [
        v for v in published_versions(school=school).filter(policy__requires_acceptance=True)
    ]
    if not versions:
        return Outstanding()
    mine = set(
        Acceptance.objects.filter(version__in=versions, user=user).values_list(
            "version_id", "kind", "pupil_id"
        )
    )
    audiences = member_audiences(roles)
    own = [
        v
        for v in versions
        if audiences & set(v.policy.audiences) and (v.pk, AcceptanceKind.OWN, None) not in mine
    ]
    cosign = []
    if Role.PARENT in roles:
        children = Pupil.objects.filter(
            school=school, left_date__isnull=True, guardians__user=user
        ).distinct()
        for child in children:
            ks = key_stage_audience(child.year_group)
            for v in versions:
                if ks in v.policy.audiences and (v.pk, AcceptanceKind.COSIGN, child.pk) not in mine:
                    cosign.append((v, child))
    return Outstanding(own=own, cosign=cosign)


@dataclass
class AudienceFigure:
    audience: str
    label: str
    total: int
    accepted: int
    outstanding: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.accepted * 100 / self.total) if self.total else 0


@dataclass
class VersionFigures:
    version: PolicyVersion
    audiences: list[AudienceFigure]
    visitors_accepted: int = 0


def acceptance_figures(*, school: School, with_names: bool) -> list[VersionFigures]:
    """For each published version that needs accepting: the share accepted per audience and,
    when the viewer may see names, who is outstanding."""
    versions = list(published_versions(school=school).filter(policy__requires_acceptance=True))
    if not versions:
        return []
    members: dict[str, set[int]] = defaultdict(set)
    for user_id, role in Membership.objects.filter(
        school=school, is_active=True, user__is_active=True
    ).values_list("user_id", "role"):
        for audience in member_audiences({role}):
            members[audience].add(user_id)
    pupils_by_audience: dict[str, dict[int, str]] = defaultdict(dict)
    for pupil_id, first, last, year in Pupil.objects.filter(
        school=school, left_date__isnull=True
    ).values_list("id", "first_name", "last_name", "year_group"):
        audience = key_stage_audience(year)
        if audience:
            pupils_by_audience[audience][pupil_id] = f"{last}, {first}"
    accepted_users: dict[int, set[int]] = defaultdict(set)
    accepted_pupils: dict[int, set[int]] = defaultdict(set)
    visitors: dict[int, int] = defaultdict(int)
    for version_id, kind, user_id, pupil_id in Acceptance.objects.filter(
        version__in=versions
    ).values_list("version_id", "kind", "user_id", "pupil_id"):
        if kind == AcceptanceKind.OWN:
            accepted_users[version_id].add(user_id)
        elif kind in (AcceptanceKind.COSIGN, AcceptanceKind.PUPIL):
            accepted_pupils[version_id].add(pupil_id)
        elif kind == AcceptanceKind.VISITOR:
            visitors[version_id] += 1
    names: dict[int, str] = {}
    if with_names:
        everyone = set().union(*members.values()) if members else set()
        names = {
            pk: (full_name or email)
            for pk, full_name, email in User.objects.filter(pk__in=everyone).values_list(
                "pk", "full_name", "email"
            )
        }
    labels = dict(Audience.choices)
    result = []
    for version in versions:
        figures = []
        for audience in version.policy.audiences:
            if audience == Audience.VISITORS:
                continue
            if audience in PUPIL_AUDIENCES:
                pool = pupils_by_audience.get(audience, {})
                done = accepted_pupils[version.pk] & pool.keys()
                missing = sorted(pool[p] for p in pool.keys() - done) if with_names else []
            else:
                pool_ids = members.get(audience, set())
                done = accepted_users[version.pk] & pool_ids
                missing = sorted(names[u] for u in pool_ids - done) if with_names else []
                pool = pool_ids
            figures.append(
                AudienceFigure(audience, labels[audience], len(pool), len(done), missing)
            )
        result.append(VersionFigures(version, figures, visitors[version.pk]))
    return result


@dataclass(frozen=True)
class ReviewStatus:
    due_soon: list[PolicyVersion]
    overdue: list[PolicyVersion]


def reviews(*, school: School, today: datetime.date | None = None) -> ReviewStatus:
    today = today or timezone.localdate()
    versions = list(
        published_versions(school=school)
        .select_related("policy__owner")
        .order_by("next_review_due")
    )
    soon = today + datetime.timedelta(days=REVIEW_WARNING_DAYS)
    return ReviewStatus(
        due_soon=[v for v in versions if today <= v.next_review_due <= soon],
        overdue=[v for v in versions if v.next_review_due < today],
    )


def children_for_cosign(*, school: School, user: User) -> QuerySet[Pupil]:
    return Pupil.objects.filter(
        school=school, left_date__isnull=True, guardians__user=user
    ).distinct()


def guardian_of(*, user: User, pupil: Pupil) -> bool:
    return Guardian.objects.filter(user=user, pupil=pupil).exists()


def class_pupils(*, school_class) -> QuerySet[Pupil]:
    return school_class.pupils.filter(left_date__isnull=True).order_by("last_name", "first_name")


def visitor_log(*, school: School) -> QuerySet[Visitor]:
    return (
        Visitor.objects.filter(school=school)
        .select_related("kiosk", "acceptance__version__policy")
        .order_by("-arrived_at")
    )


def kiosk_links(*, school: School) -> QuerySet[KioskLink]:
    return KioskLink.objects.filter(school=school).select_related("created_by", "revoked_by")


def acceptances_of(*, version: PolicyVersion) -> QuerySet[Acceptance]:
    """The record of who accepted a version, when and how: the proof an inspector asks for."""
    return (
        Acceptance.objects.filter(version=version)
        .select_related("user", "pupil", "visitor", "recorded_by")
        .order_by("-accepted_at", "-id")
    )
