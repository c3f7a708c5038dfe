"""Tags other apps' pages use to show the policy library's state (the school home)."""

from django import template

from esafety.people.access import SchoolAccess
from policies.selectors import library as selectors

register = template.Library()


@register.simple_tag
def policy_reviews(access: SchoolAccess) -> selectors.ReviewStatus:
    """Reviews overdue and due in the next 30 days at the member's school."""
    return selectors.reviews(school=access.school)
