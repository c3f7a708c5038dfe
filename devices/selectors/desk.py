"""The hand-in desk and the exceptions register."""

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q

from devices.models import ExceptionReason, HandIn, PhoneException
from esafety.people.models import Pupil, School

DESK_LIMIT = 60
REVIEW_AHEAD = datetime.timedelta(days=14)


def _current(day: datetime.date) -> Q:
    return (
        Q(ended_on__isnull=True)
        & Q(starts_on__lte=day)
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    )


def current_exception(pupil: Pupil, day: datetime.date) -> PhoneException | None:
    """The pupil's exception today, a medical one first (it decides what staff may do)."""
    found = list(PhoneException.objects.filter(_current(day), pupil=pupil))
    found.sort(key=lambda e: (not e.is_medical, e.pk))
    return found[0] if found else None


@dataclass
class DeskRow:
    pupil: Pupil
    exception: PhoneException
    hand_in: HandIn | None

    @property
    def state(self) -> str:
        if self.exception.is_medical:
            return "medical"
        if self.hand_in is None:
            return "not_in"
        return "back" if self.hand_in.returned_at else "in"


@dataclass
class Desk:
    rows: list[DeskRow]
    expected: int  # pupils whose phone comes to the desk today (not medical)
    handed_in: int
    still_held: int
    more: bool  # more pupils match than the rows shown: search by name or class


def desk(*, school: School, day: datetime.date, query: str = "") -> Desk:
    """Today's desk: every pupil with a current exception, searchable by name or class. Three
    queries whatever the size of the school: the rows shown, their hand-ins, the day's counts."""
    exceptions = (
        PhoneException.objects.filter(_current(day), school=school, pupil__left_date__isnull=True)
        .select_related("pupil", "pupil__school_class")
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id", "-reason")
    )
    for word in query.split()[:3]:
        exceptions = exceptions.filter(
            Q(pupil__first_name__icontains=word)
            | Q(pupil__last_name__icontains=word)
            | Q(pupil__school_class__name__icontains=word)
        )
    seen: dict[int, PhoneException] = {}
    shown = list(exceptions[: DESK_LIMIT + 1])
    for e in shown:  # one row per pupil, the medical exception winning
        if e.pupil_id not in seen or e.is_medical:
            seen[e.pupil_id] = e
    pupils = list(seen.values())[:DESK_LIMIT]
    hand_ins = {
        h.pupil_id: h
        for h in HandIn.objects.filter(day=day, pupil_id__in=[e.pupil_id for e in pupils])
    }
    rows = [DeskRow(e.pupil, e, hand_ins.get(e.pupil_id)) for e in pupils]
    counts = counts_for_day(school=school, day=day)
    return Desk(
        rows=rows,
        expected=counts["expected"],
        handed_in=counts["handed_in"],
        still_held=counts["still_held"],
        more=len(shown) > DESK_LIMIT,
    )


def counts_for_day(*, school: School, day: datetime.date) -> dict[str, int]:
    medical = PhoneException.objects.filter(
        _current(day), school=school, reason=ExceptionReason.MEDICAL
    ).values("pupil_id")
    expected = (
        PhoneException.objects.filter(_current(day), school=school, pupil__left_date__isnull=True)
        .exclude(reason=ExceptionReason.MEDICAL)
        .exclude(pupil_id__in=medical)
        .values("pupil_id")
        .distinct()
        .count()
    )
    day_ins = HandIn.objects.filter(school=school, day=day)
    return {
        "expected": expected,
        "handed_in": day_ins.count(),
        "still_held": day_ins.filter(returned_at__isnull=True).count(),
    }


def desk_pupil(*, school: School, code: UUID) -> Pupil | None:
    return Pupil.objects.filter(school=school, code=code).first()


def exceptions_list(*, school: School, limit: int = 100) -> tuple[list[PhoneException], int]:
    qs = (
        PhoneException.objects.filter(school=school, ended_on__isnull=True)
        .select_related("pupil", "pupil__school_class", "granted_by")
        .order_by("review_due", "id")
    )
    return list(qs[:limit]), qs.count()


def reviews_due(*, school: School, today: datetime.date) -> int:
    """Exceptions whose review is due within a fortnight, or overdue."""
    return PhoneException.objects.filter(
        school=school, ended_on__isnull=True, review_due__lte=today + REVIEW_AHEAD
    ).count()


def exception_of(*, school: School, code: UUID) -> PhoneException | None:
    return (
        PhoneException.objects.filter(school=school, code=code)
        .select_related("pupil", "granted_by")
        .first()
    )
