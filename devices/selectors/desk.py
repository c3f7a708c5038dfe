"""The hand-in desk and the exceptions register."""

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q

from devices.models import ExceptionReason, HandIn, PhoneException
from esafety.paging import RowsPage, rows_page
from esafety.people.models import Pupil, School

# A page of the desk: a tablet's screen or two. The search finds anyone else.
DESK_PAGE = 25
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
    medical: bool  # a medical exception today: the phone stays with the pupil
    hand_in: HandIn | None

    @property
    def state(self) -> str:
        if self.medical:
            return "medical"
        if self.hand_in is None:
            return "not_in"
        return "back" if self.hand_in.returned_at else "in"


@dataclass
class Desk:
    page: RowsPage  # of DeskRow
    expected: int  # pupils whose phone comes to the desk today (not medical)
    handed_in: int
    still_held: int

    @property
    def rows(self) -> list[DeskRow]:
        return self.page.rows

    @property
    def more(self) -> bool:  # more pupils match than the rows shown: search, or the next page
        return self.page.has_next


def desk(*, school: School, day: datetime.date, query: str = "", page: int = 1) -> Desk:
    """Today's desk: a page of the pupils with a current exception, by name, searchable by name
    or class. Paged by pupil, not by exception, so a pupil with two (medical and another) is one
    row on one page. Four queries whatever the size of the school: the page of pupils (each
    with whether one of their exceptions is medical), their hand-ins, the day's counts in two."""
    current = PhoneException.objects.filter(_current(day), pupil=OuterRef("pk"))
    pupils = (
        Pupil.objects.filter(Exists(current), school=school, left_date__isnull=True)
        .annotate(medical=Exists(current.filter(reason=ExceptionReason.MEDICAL)))
        .select_related("school_class")
        .order_by("last_name", "first_name", "id")
    )
    for word in query.split()[:3]:
        pupils = pupils.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(school_class__name__icontains=word)
        )
    shown = rows_page(pupils, page, DESK_PAGE)
    hand_ins = {
        h.pupil_id: h for h in HandIn.objects.filter(day=day, pupil_id__in=[p.pk for p in shown])
    }
    rows = [DeskRow(p, p.medical, hand_ins.get(p.pk)) for p in shown]
    counts = counts_for_day(school=school, day=day)
    return Desk(
        page=RowsPage(rows, shown.number, shown.size, shown.has_next),
        expected=counts["expected"],
        handed_in=counts["handed_in"],
        still_held=counts["still_held"],
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
    day_ins = HandIn.objects.filter(school=school, day=day).aggregate(
        handed_in=Count("pk"), still_held=Count("pk", filter=Q(returned_at__isnull=True))
    )
    return {"expected": expected, **day_ins}


def desk_pupil(*, school: School, code: UUID) -> Pupil | None:
    return Pupil.objects.filter(school=school, code=code).first()


# A page of the exceptions register, the reviews due soonest first.
REGISTER_PAGE = 50


def exceptions_list(*, school: School, page: int = 1) -> RowsPage:
    """A page of the register, numbered without counting it (one query)."""
    qs = (
        PhoneException.objects.filter(school=school, ended_on__isnull=True)
        .select_related("pupil", "pupil__school_class")
        .order_by("review_due", "id")
    )
    return rows_page(qs, page, REGISTER_PAGE)


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
