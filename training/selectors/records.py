"""Reading training records: a member sees only their own; those who check certificates (the
online safety lead, the DSL, the head) see everyone's. Every page, count and download reads
through here."""

from uuid import UUID

from django.db.models import QuerySet

from esafety.people.access import SchoolAccess
from training.models import TrainingRecord
from training.services.common import VERIFIERS

UNVERIFIED_SHOWN = 50


def may_see_everyone(access: SchoolAccess) -> bool:
    return access.has(*VERIFIERS)


def records_visible(access: SchoolAccess) -> QuerySet[TrainingRecord]:
    records = TrainingRecord.objects.filter(school=access.school).select_related(
        "course", "person", "verified_by"
    )
    if not may_see_everyone(access):
        records = records.filter(person=access.user)
    return records


def record_for(access: SchoolAccess, code: UUID) -> TrainingRecord | None:
    """The record, if this member may see it; None (a 404) for another's record, as for one
    that does not exist."""
    return records_visible(access).filter(code=code).first()


def my_records(access: SchoolAccess) -> QuerySet[TrainingRecord]:
    return records_visible(access).filter(person=access.user)


def _waiting(access: SchoolAccess) -> QuerySet[TrainingRecord]:
    return (
        records_visible(access)
        .filter(verified_at__isnull=True, rejected_at__isnull=True)
        .exclude(person=access.user)
    )


def unverified(access: SchoolAccess) -> tuple[list[TrainingRecord], int]:
    """Records waiting for a check (not the reader's own: someone else checks those), the
    oldest first, at most UNVERIFIED_SHOWN, and how many there are."""
    waiting = _waiting(access).order_by("created_at", "id")
    return list(waiting[:UNVERIFIED_SHOWN]), waiting.count()


def unverified_count(access: SchoolAccess) -> int:
    """How many records unverified() would say wait for a check (the matrix's notice)."""
    return _waiting(access).count()
