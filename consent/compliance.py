"""Consent figures for governors and the head: counts only, never names.

Coverage per purpose over the pupils on roll (granted, refused, no decision); take-downs open
and done and the median time to removal. A median from fewer than five is not given (official
statistics' disclosure control: DOMAIN.md)."""

import datetime
import statistics
from dataclasses import dataclass

from django.utils import timezone

from consent import rules
from consent.models import TakeDown
from consent.selectors import purposes_of, states_for
from esafety.people.models import Pupil, School

SMALL = 5


@dataclass(frozen=True)
class Coverage:
    purpose: str
    basis: str
    granted: int
    alone_only: int
    refused: int
    no_decision: int


def figures(*, school: School, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    pupils = list(
        Pupil.objects.filter(school=school, left_date__isnull=True).only(
            "id", "date_of_birth", "left_date"
        )
    )
    purposes = list(purposes_of(school=school))
    states = states_for(school=school, pupils=pupils, purposes=purposes, today=today)
    coverage = []
    for purpose in purposes:
        counts = dict.fromkeys(("granted", "alone_only", "refused", "no_decision"), 0)
        for pupil in pupils:
            s = states[(pupil.pk, purpose.pk)]
            if s.answer is rules.Answer.ALONE_ONLY:
                counts["alone_only"] += 1
            elif s.answer is rules.Answer.MAY:
                counts["granted"] += 1
            elif s.why is rules.Why.NO_DECISION:
                counts["no_decision"] += 1
            else:
                # Refused, objected and "do not photograph" are one count: a marking is never
                # told apart from a refusal in figures.
                counts["refused"] += 1
        coverage.append(Coverage(purpose.label, purpose.get_lawful_basis_display(), **counts))
    closed = list(
        TakeDown.objects.filter(school=school, closed_at__isnull=False).values_list(
            "opened_at", "closed_at"
        )
    )
    hours = [(c - o).total_seconds() / 3600 for o, c in closed]
    return {
        "pupils": len(pupils),
        "coverage": coverage,
        "takedowns_open": TakeDown.objects.filter(school=school, closed_at__isnull=True).count(),
        "takedowns_done": len(closed),
        "median_hours_to_removal": round(statistics.median(hours), 1)
        if len(hours) >= SMALL
        else None,
    }
