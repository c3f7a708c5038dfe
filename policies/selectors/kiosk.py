"""Reads for the visitor kiosk: the office's kiosk links, the visitor log, the visitors' AUP."""

from django.db.models import QuerySet

from esafety.people.models import School
from policies.models import Audience, KioskLink, PolicyVersion, VersionStatus, Visitor


def visitor_log(*, school: School) -> QuerySet[Visitor]:
    return (
        Visitor.objects.filter(school=school)
        .select_related("kiosk", "acceptance__version__policy")
        .order_by("-arrived_at")
    )


def kiosk_links(*, school: School) -> QuerySet[KioskLink]:
    return KioskLink.objects.filter(school=school).select_related("created_by", "revoked_by")


def visitor_aup(*, school: School) -> PolicyVersion | None:
    """The published AUP whose audience is visitors. (A school has a handful of policies, so
    they are filtered here rather than with a JSON lookup SQLite lacks.)"""
    for version in PolicyVersion.objects.filter(
        policy__school=school, policy__requires_acceptance=True, status=VersionStatus.PUBLISHED
    ).select_related("policy"):
        if Audience.VISITORS in version.policy.audiences:
            return version
    return None
