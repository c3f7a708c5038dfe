"""Policies' section of the governors' figures: no names."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from esafety.people.models import School
from policies.selectors.figures import acceptance_figures
from policies.selectors.library import published_versions


@dataclass(frozen=True)
class PolicyLine:
    title: str
    kind: str
    version: str
    published_on: datetime.date
    next_review_due: datetime.date
    overdue: bool


@dataclass(frozen=True)
class AcceptanceLine:
    policy: str
    version: str
    audience: str
    accepted: int
    total: int
    percent: int


@dataclass(frozen=True)
class PolicyFigures:
    policies: list[PolicyLine]
    acceptance: list[AcceptanceLine]


def figures(*, school: School, today: datetime.date | None = None) -> PolicyFigures:
    today = today or timezone.localdate()
    policies = [
        PolicyLine(
            title=v.policy.title,
            kind=v.policy.get_kind_display(),
            version=v.number,
            published_on=timezone.localtime(v.published_at).date(),
            next_review_due=v.next_review_due,
            overdue=v.next_review_due < today,
        )
        for v in published_versions(school=school)
    ]
    acceptance = [
        AcceptanceLine(
            policy=f.version.policy.title,
            version=f.version.number,
            audience=a.label,
            accepted=a.accepted,
            total=a.total,
            percent=a.percent,
        )
        for f in acceptance_figures(school=school, with_names=False)
        for a in f.audiences
    ]
    return PolicyFigures(policies=policies, acceptance=acceptance)
