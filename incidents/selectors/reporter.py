"""The reporter's side: a member of staff logging a concern and following what they logged."""

from collections.abc import Iterable
from typing import cast
from uuid import UUID

from django.db.models import (
    QuerySet,
)

from esafety.baked import Values, baked, fields_of
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
    related = ("school_class",) if with_class else ()
    wanted = tuple(dict.fromkeys(codes))
    if not wanted:
        return {}
    found = _on_roll.objects(Pupil, related, related=related, school=school.pk, codes=wanted)
    return {p.code: p for p in found}


@baked
def _on_roll(shape: tuple[str, ...], v: Values) -> QuerySet:
    pupils = Pupil.objects.filter(school_id=v.school, left_date__isnull=True, code__in=v.codes)
    return cast(QuerySet, pupils.values(*fields_of(Pupil, shape)))


def reported_concern(access: SchoolAccess, code: UUID) -> Concern | None:
    """One concern the member logged, for its status: not the pupils or staff named, nor the
    DSL's notes, steps or referrals, which are not loaded here at all."""
    return concerns_reported_by(access).select_related("school").filter(code=code).first()
