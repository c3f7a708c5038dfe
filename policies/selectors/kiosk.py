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
    """The published AUP whose audience is visitors."""
    return (
        PolicyVersion.objects.filter(
            policy__school=school,
            policy__requires_acceptance=True,
            policy__applies_to__audience=Audience.VISITORS,
            status=VersionStatus.PUBLISHED,
        )
        .select_related("policy")
        .first()
    )
