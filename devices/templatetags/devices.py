"""Tags for the devices app's cards on the shared home page (contributions.py)."""

from django import template

from devices.selectors import desk, held
from devices.services.common import school_today
from esafety.people.access import SchoolAccess

register = template.Library()


@register.simple_tag
def desk_today(access: SchoolAccess) -> dict[str, int]:
    today = school_today(access.school)
    counts = desk.counts_for_day(school=access.school, day=today)
    return {**counts, "reviews_due": desk.reviews_due(school=access.school, today=today)}


@register.simple_tag
def evidence_held(access: SchoolAccess) -> int:
    return held.evidence_held_count(access)
