"""The reporter's side: a member of staff logging a concern and following what they logged."""

from collections.abc import Iterable
from uuid import UUID

from django.db.models import (
    QuerySet,
)

from esafety.people.access import SchoolAccess
from esafety.people.models import Pupil, School
from incidents.models import (
    Concern,
)


def concerns_reported_by(access: SchoolAccess) -> QuerySet[Concern]:
    return Concern.objects.filter(school=access.school, reported_by=access.user).order_by(
        "-created_at"
    )


def pupils_on_roll_by_code(
    *, school: School, codes: Iterable[UUID], with_class: bool = True
) -> dict[UUID, Pupil]:
    """The pupils of this school on roll among `codes`; a code from anywhere else is missing.
    With their classes, to show them; a form only checking the codes needs none."""
    pupils = Pupil.objects.filter(school=school, left_date__isnull=True, code__in=list(codes))
    if with_class:
        pupils = pupils.select_related("school_class")
    return {p.code: p for p in pupils}


def reported_concern(access: SchoolAccess, code: UUID) -> Concern | None:
    """One concern the member logged, for its status: not the pupils or staff named, nor the
    DSL's notes, steps or referrals, which are not loaded here at all."""
    return concerns_reported_by(access).select_related("school").filter(code=code).first()
