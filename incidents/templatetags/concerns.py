"""Template tags other apps' pages use to link to concerns, so those apps need not import ours."""

from django import template

from esafety.people.access import SchoolAccess
from esafety.people.models import Role
from incidents import selectors

register = template.Library()


@register.simple_tag
def unacknowledged_count(access: SchoolAccess) -> int:
    """How many concerns this member may see are waiting to be acknowledged."""
    return selectors.unacknowledged_count(access)


@register.simple_tag
def may_see_chronology(access: SchoolAccess) -> bool:
    return access.has(Role.DSL, Role.DEPUTY_DSL, Role.HEAD)
