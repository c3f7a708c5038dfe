"""Template tags for the concerns app's cards on the shared home page (contributions.py) and
for the concern's page."""

import uuid

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from esafety.people.access import SchoolAccess
from esafety.people.templatetags.fields import fields
from incidents import selectors
from incidents.forms.work import CorrectionForm
from incidents.models import Concern, TimelineEntry

register = template.Library()


@register.simple_tag
def unacknowledged_count(access: SchoolAccess) -> int:
    """How many concerns this member may see are waiting to be acknowledged."""
    return selectors.unacknowledged_count(access)


# Stand for an entry's code in the one blank correction form a page draws (as a formset's
# empty form has __prefix__) and in the one URL it reverses (a UUID, as the URL wants); each is
# kept in the page's render context.
_ENTRY = "__entry__"
_ENTRY_CODE = str(uuid.UUID(int=0))
_DRAWN = "incidents.correction_fields"
_REVERSED = "incidents.correction_url"


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


@register.simple_tag(takes_context=True)
def correction_url(context: template.Context, concern: Concern, entry: TimelineEntry) -> str:
    """Where the correction of `entry` is posted: reversed once a page, the same way."""
    url = context.render_context.get(_REVERSED)
    if url is None:
        url = reverse("incidents:correct", args=[concern.school.code, concern.code, _ENTRY_CODE])
        context.render_context[_REVERSED] = url
    # The entry's code is the URL's last part: what comes before it is left as it is.
    head, tail = url.rsplit(_ENTRY_CODE, 1)
    return f"{head}{entry.code}{tail}"
