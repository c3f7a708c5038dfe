"""Reads for the policy library: policies, their versions, the public page and review dates."""

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from esafety.people.models import School, User
from esafety.people.selectors import active_staff
from policies.models import Acceptance, Policy, PolicyVersion, VersionStatus

REVIEW_WARNING_DAYS = 30


def policies_for_school(*, school: School) -> QuerySet[Policy]:
    return (
        Policy.objects.filter(school=school)
        .select_related("owner")
        .prefetch_related(
            "applies_to",
            Prefetch(
                "versions",
                queryset=PolicyVersion.objects.order_by("-created_at").select_related(
                    "approved_by", "published_by"
                ),
            ),
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
    return active_staff(school=school)


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
    # A published version always has a review date (policies_version_published_has_review_date).
    due = [(v, v.next_review_due) for v in versions if v.next_review_due is not None]
    return ReviewStatus(
        due_soon=[v for v, day in due if today <= day <= soon],
        overdue=[v for v, day in due if day < today],
    )


def acceptances_of(*, version: PolicyVersion) -> QuerySet[Acceptance]:
    """The record of who accepted a version, when and how: the proof an inspector asks for."""
    return (
        Acceptance.objects.filter(version=version)
        .select_related("user", "pupil", "visitor", "recorded_by")
        .order_by("-accepted_at", "-id")
    )
