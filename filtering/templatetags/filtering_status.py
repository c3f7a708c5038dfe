"""Tags the school home uses to show where filtering and monitoring stand."""

from dataclasses import dataclass

from django import template
from django.utils import timezone

from esafety.people.access import SchoolAccess
from filtering.models import AnnualReview, RoleKind
from filtering.selectors import status
from filtering.services.common import current_roles

register = template.Library()


@dataclass(frozen=True)
class HomeStatus:
    review: status.ReviewStatus
    open_tasks: int
    missed_reports: int


@register.simple_tag
def filtering_home(access: SchoolAccess) -> HomeStatus:
    today = timezone.localdate()
    settings = status.settings_of(access.school)
    return HomeStatus(
        review=status.review_status(school=access.school, today=today),
        open_tasks=status.open_task_count(school=access.school),
        missed_reports=status.report_weeks(
            school=access.school, today=today, limit=1, settings=settings
        ).missed,
    )


@register.simple_tag
def review_to_sign(access: SchoolAccess) -> AnnualReview | None:
    """The review waiting for this member's signature, when they are the named governor."""
    named = current_roles(access.school).get(RoleKind.GOVERNOR)
    if named is None or named.user_id != access.user.pk:
        return None
    return (
        AnnualReview.objects.filter(school=access.school, signed_at__isnull=True)
        .order_by("-completed_at")
        .first()
    )
