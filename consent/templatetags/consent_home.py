from django import template
from django.urls import reverse

from consent import selectors
from esafety.contributions import may_open

register = template.Library()


@register.simple_tag
def consent_open_takedowns(access) -> int:
    return selectors.open_takedown_count(school=access.school)


@register.simple_tag
def consent_outstanding(access) -> int:
    return selectors.outstanding_for_parent(school=access.school, user=access.user)


LINKS = (
    ("May we use this photo?", "consent:check"),
    ("Do-not-photograph lists", "consent:lists"),
    ("Photos and videos used", "consent:publications"),
    ("Register", "consent:register"),
    ("Take-downs", "consent:takedowns"),
    ("Purposes and settings", "consent:purposes"),
    ("Figures", "consent:figures"),
)


@register.simple_tag
def consent_links(access) -> list[tuple[str, str]]:
    """The consent pages this member may open (their own access check decides), as links."""
    return [
        (label, reverse(name, args=[access.school.code]))
        for label, name in LINKS
        if may_open(access, name)
    ]
