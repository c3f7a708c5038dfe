"""Template tags for the concerns app's cards on the shared home page (contributions.py)."""

from django import template

from esafety.people.access import SchoolAccess
from incidents import selectors

register = template.Library()


@register.simple_tag
def unacknowledged_count(access: SchoolAccess) -> int:
    """How many concerns this member may see are waiting to be acknowledged."""
    return selectors.unacknowledged_count(access)
