"""`{{ value|date_text:"j M Y, H:i" }}`: the `date` filter's text (in the reader's time zone),
written by esafety.formats.date_text for the letters it knows, without Django's general
formatter (a concern's page writes nine dates)."""

from django import template

from esafety.formats import date_text as _date_text

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date_text(value, pattern: str = "j M Y") -> str:
    if value in (None, ""):
        return ""
    return _date_text(value, pattern)
