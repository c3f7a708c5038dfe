import zoneinfo
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from esafety.audit.forms import AuditFilterForm, AuditPageForm
from esafety.audit.selectors import (
    EventFilter,
    audit_events_page,
    audit_people_for_school,
    event_filter,
)
from esafety.formats import date_text
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import Role
from esafety.people.navigation import nav_for

PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class EventRow:
    """A row of the log, its text worked out here: the template's lookups, filters and
    time-zone conversion for 50 rows of six values were most of the page's rendering."""

    when: str
    who: str
    action: str
    record: str
    record_code: str  # the full code, URL-quoted, for the link to every event of the record
    record_short: str
    summary: str
    ip: str


def _rows(events, tz: zoneinfo.ZoneInfo) -> list[EventRow]:
    return [
        EventRow(
            when=date_text(e.at.astimezone(tz), "j M Y H:i:s"),
            who=e.actor_label or "system",
            action=e.action,
            record=e.object_type,
            record_code=quote(e.object_code, safe="/") if e.object_code else "",
            record_short=e.object_code_short,
            summary=e.summary,
            ip=e.ip or "",
        )
        for e in events
    ]


@school_view(Role.HEAD, Role.DSL)
def event_list(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    people = audit_people_for_school(school=access.school)
    form = AuditFilterForm(request.GET or None, people=people)
    valid = form.is_valid() or not form.is_bound
    filters = form.cleaned_data if form.is_bound and valid else {}
    if valid:
        found = event_filter(
            access=access,
            actor_code=filters.get("person"),
            object_code=filters.get("object_code", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )
    else:
        # A filter with a mistake in it shows nothing rather than everything, so nobody reads
        # the whole log believing it is the part they asked for.
        found = EventFilter(nobody=True)
    # Pages are found by id (keyset), never numbered: numbering would count the whole log.
    page = audit_events_page(access, found, **AuditPageForm(request.GET).cursor(), size=PER_PAGE)
    # The pager's links keep the filters and replace the cursor.
    query = request.GET.copy()
    for cursor in ("before", "after", "page"):
        query.pop(cursor, None)
    return render(
        request,
        "audit/event_list.html",
        {
            "access": access,
            "nav": nav_for(access),
            "form": form,
            "page": page,
            "rows": _rows(page, zoneinfo.ZoneInfo(access.school.timezone)),
            "query": query.urlencode(),
        },
    )
