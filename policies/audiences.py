"""Who is in an audience: staff, governors, parents by membership; pupils by key stage."""

import re

from esafety.people.models import STAFF_ROLES, Pupil, Role
from policies.models import Audience

_YEAR = re.compile(r"(\d{1,2})")


def key_stage_audience(year_group: str) -> str | None:
    """The pupils' audience for an MIS year group ("Year 5", "Y10", "Reception", "Nursery")."""
    text = year_group.strip().lower()
    if text in ("r", "year r", "yr r", "y r") or text.startswith(
        ("reception", "nursery", "rec", "fs", "eyfs")
    ):
        return Audience.PUPILS_EYFS
    match = _YEAR.search(text)
    if not match:
        return None
    year = int(match.group(1))
    if year <= 0:
        return Audience.PUPILS_EYFS
    if year <= 2:
        return Audience.PUPILS_KS1
    if year <= 6:
        return Audience.PUPILS_KS2
    if year <= 9:
        return Audience.PUPILS_KS3
    if year <= 11:
        return Audience.PUPILS_KS4
    return Audience.PUPILS_KS5


def pupil_audience(pupil: Pupil) -> str | None:
    return key_stage_audience(pupil.year_group)


def member_audiences(roles: frozenset[str] | set[str]) -> set[str]:
    """The audiences a member belongs to by their roles at the school."""
    found = set()
    if not STAFF_ROLES.isdisjoint(roles):
        found.add(Audience.STAFF)
    if Role.GOVERNOR in roles:
        found.add(Audience.GOVERNORS)
    if Role.PARENT in roles:
        found.add(Audience.PARENTS)
    return found
