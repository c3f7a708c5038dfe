"""May this pupil appear for this purpose? The one rule, on rows already read (no queries), so
a page about a whole class asks the database a fixed number of times.

- A pupil who has left: no (consent lapses when a pupil leaves).
- A pupil marked "do not photograph": no, on every purpose, whatever anyone chose.
- Otherwise the latest decision of the parents (any guardian with parental responsibility) and,
  from the school's age of own decision, the latest decision of the pupil; where both have
  decided, the stricter stands.
- No decision: no on a consent purpose; yes on a public-task or legitimate-interests purpose
  until someone objects.
- Renewal: where the school asks again each academic year, consents given in an earlier year no
  longer count (an objection still does: it is a "no" nobody has taken back).
"""

import datetime
from dataclasses import dataclass
from enum import Enum

from consent.models import Choice, Decision, Purpose

# The stricter choice wins: a lower rank is stricter.
RANK = {Choice.REFUSED: 0, Choice.ALONE_ONLY: 1, Choice.GRANTED: 2}


class Answer(Enum):
    MAY = "may"
    ALONE_ONLY = "alone_only"
    MAY_NOT = "may_not"


class Why(Enum):
    GRANTED = "granted"
    ALONE_ONLY = "alone_only"
    NO_OBJECTION = "no_objection"
    REFUSED = "refused"
    OBJECTED = "objected"
    NO_DECISION = "no_decision"
    DO_NOT_PHOTOGRAPH = "do_not_photograph"
    LEFT = "left"


# What staff read. "Do not photograph" never says why.
WHY_LABELS = {
    Why.GRANTED: "Consent given",
    Why.ALONE_ONLY: "On their own only",
    Why.NO_OBJECTION: "No objection",
    Why.REFUSED: "Refused",
    Why.OBJECTED: "Objected",
    Why.NO_DECISION: "No decision (counts as no)",
    Why.DO_NOT_PHOTOGRAPH: "Do not photograph",
    Why.LEFT: "Left the school",
}


@dataclass(frozen=True)
class State:
    answer: Answer
    why: Why
    # Who the standing decision came from ("parent", "pupil"), empty when none stands.
    by: str = ""

    @property
    def label(self) -> str:
        return WHY_LABELS[self.why]

    @property
    def may_appear(self) -> bool:
        return self.answer is not Answer.MAY_NOT


def academic_year(day: datetime.date, start_month: int) -> int:
    """The calendar year the academic year holding `day` began in."""
    return day.year if day.month >= start_month else day.year - 1


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def decides_for_themselves(born: datetime.date, today: datetime.date, own_age: int) -> bool:
    return age_on(born, today) >= own_age


def _counts(decision: Decision, purpose: Purpose, year: int | None, start_month: int) -> bool:
    if year is None or decision.choice == Choice.REFUSED or not purpose.needs_consent:
        return True
    return academic_year(decision.decided_at.date(), start_month) == year


def state(
    *,
    purpose: Purpose,
    decisions: list[Decision],
    marked: bool,
    left: bool,
    pupil_decides: bool,
    renew_year: int | None = None,
    start_month: int = 9,
) -> State:
    """The pupil's state for one purpose. `decisions` are this pupil's for this purpose, in any
    order; `renew_year` is the current academic year where the school renews each year."""
    if left:
        return State(Answer.MAY_NOT, Why.LEFT)
    if marked:
        return State(Answer.MAY_NOT, Why.DO_NOT_PHOTOGRAPH)
    latest: dict[bool, Decision] = {}
    for d in sorted(decisions, key=lambda d: (d.decided_at, d.pk or 0)):
        if d.by_pupil and not pupil_decides:
            continue
        if _counts(d, purpose, renew_year, start_month):
            latest[d.by_pupil] = d
        else:
            latest.pop(d.by_pupil, None)
    if not latest:
        if purpose.needs_consent:
            return State(Answer.MAY_NOT, Why.NO_DECISION)
        return State(Answer.MAY, Why.NO_OBJECTION)
    standing = min(latest.values(), key=lambda d: RANK[Choice(d.choice)])
    by = "pupil" if standing.by_pupil else "parent"
    if standing.choice == Choice.REFUSED:
        why = Why.REFUSED if purpose.needs_consent else Why.OBJECTED
        return State(Answer.MAY_NOT, why, by)
    # Kept even if the purpose has since stopped offering it: the stricter reading.
    if standing.choice == Choice.ALONE_ONLY:
        return State(Answer.ALONE_ONLY, Why.ALONE_ONLY, by)
    if not purpose.needs_consent:
        return State(Answer.MAY, Why.NO_OBJECTION, by)
    return State(Answer.MAY, Why.GRANTED, by)
