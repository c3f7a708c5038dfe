from django import template

from consent import selectors

register = template.Library()


@register.simple_tag
def consent_open_takedowns(access) -> int:
    return selectors.open_takedown_count(school=access.school)


@register.simple_tag
def consent_outstanding(access) -> int:
    return selectors.outstanding_for_parent(school=access.school, user=access.user)
