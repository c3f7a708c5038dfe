"""The acceptance figures: for each version in force, the share of each audience who accepted
it, computed with a fixed number of queries whatever the size of the school."""

from collections import defaultdict
from dataclasses import dataclass, field

from esafety.people.models import Membership, Pupil, School, User
from policies.audiences import key_stage_audience, member_audiences
from policies.models import PUPIL_AUDIENCES, Acceptance, AcceptanceKind, Audience, PolicyVersion
from policies.selectors.library import published_versions


@dataclass
class AudienceFigure:
    audience: str
    label: str
    total: int
    accepted: int
    outstanding: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.accepted * 100 / self.total) if self.total else 0


@dataclass
class VersionFigures:
    version: PolicyVersion
    audiences: list[AudienceFigure]
    visitors_accepted: int = 0


def acceptance_figures(*, school: School, with_names: bool) -> list[VersionFigures]:
    """For each published version that needs accepting: the share accepted per audience and,
    when the viewer may see names, who is outstanding."""
    versions = list(
        published_versions(school=school)
        .filter(policy__requires_acceptance=True)
        .prefetch_related("policy__applies_to")
    )
    if not versions:
        return []
    members: dict[str, set[int]] = defaultdict(set)
    for user_id, role in Membership.objects.filter(
        school=school, is_active=True, user__is_active=True
    ).values_list("user_id", "role"):
        for audience in member_audiences({role}):
            members[audience].add(user_id)
    pupils_by_audience: dict[str, dict[int, str]] = defaultdict(dict)
    for pupil_id, first, last, year in Pupil.objects.filter(
        school=school, left_date__isnull=True
    ).values_list("id", "first_name", "last_name", "year_group"):
        key_stage = key_stage_audience(year)
        if key_stage:
            pupils_by_audience[key_stage][pupil_id] = f"{last}, {first}"
    accepted_users: dict[int, set[int]] = defaultdict(set)
    accepted_pupils: dict[int, set[int]] = defaultdict(set)
    visitors: dict[int, int] = defaultdict(int)
    for version_id, kind, user_id, pupil_id in Acceptance.objects.filter(
        version__in=versions
    ).values_list("version_id", "kind", "user_id", "pupil_id"):
        if kind == AcceptanceKind.OWN:
            accepted_users[version_id].add(user_id)
        elif kind in (AcceptanceKind.COSIGN, AcceptanceKind.PUPIL):
            accepted_pupils[version_id].add(pupil_id)
        elif kind == AcceptanceKind.VISITOR:
            visitors[version_id] += 1
    names: dict[int, str] = {}
    if with_names:
        everyone = set().union(*members.values()) if members else set()
        names = {
            pk: (full_name or email)
            for pk, full_name, email in User.objects.filter(pk__in=everyone).values_list(
                "pk", "full_name", "email"
            )
        }
    labels = dict(Audience.choices)
    result = []
    for version in versions:
        figures = []
        for audience in version.policy.audiences:
            if audience == Audience.VISITORS:
                continue
            if audience in PUPIL_AUDIENCES:
                pupils = pupils_by_audience.get(audience, {})
                total, done = len(pupils), accepted_pupils[version.pk] & pupils.keys()
                missing = sorted(pupils[p] for p in pupils.keys() - done) if with_names else []
            else:
                pool = members.get(audience, set())
                total, done = len(pool), accepted_users[version.pk] & pool
                missing = sorted(names[u] for u in pool - done) if with_names else []
            figures.append(AudienceFigure(audience, labels[audience], total, len(done), missing))
        result.append(VersionFigures(version, figures, visitors[version.pk]))
    return result
