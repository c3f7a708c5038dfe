"""Template tags for the concerns app's cards on the shared home page (contributions.py) and
for the concern's page."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from esafety.people.access import SchoolAccess
from esafety.people.templatetags.fields import fields
from incidents import selectors
from incidents.forms.work import CorrectionForm
from incidents.models import TimelineEntry

register = template.Library()


@register.simple_tag
def unacknowledged_count(access: SchoolAccess) -> int:
    """How many concerns this member may see are waiting to be acknowledged."""
    return selectors.unacknowledged_count(access)


# Stands for an entry's code in the one blank correction form a page draws (as a formset's
# empty form has __prefix__); the page's drawing is kept in its render context under _DRAWN.
_ENTRY = "__entry__"
_DRAWN = "incidents.correction_fields"


@register.simple_tag(takes_context=True)
def correction_fields(context: template.Context, entry: TimelineEntry) -> SafeString:
    """The fields of the blank form that corrects `entry`. Every entry's form is the same but
    for its prefix, so it is drawn once a page and each entry gets a copy with its own code
    (a UUID: nothing to escape). Drawing a form for every entry was most of the time of a
    long timeline."""
    blank = context.render_context.get(_DRAWN)
    if blank is None:
        blank = fields(CorrectionForm(prefix=CorrectionForm.prefix_for(_ENTRY)))
        context.render_context[_DRAWN] = blank
    # The drawing is safe markup and a UUID has nothing to escape.
    return mark_safe(blank.replace(_ENTRY, str(entry.code)))  # noqa: S308
