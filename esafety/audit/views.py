from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from esafety.audit.forms import AuditFilterForm
from esafety.audit.selectors import audit_events_for_school
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import Role
from esafety.people.navigation import nav_for


@school_view(Role.HEAD, Role.DSL)
def event_list(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, school=access.school)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_for_school(
        school=access.school,
        actor_code=filters.get("person"),
        object_code=filters.get("object_code", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "access": access,
            "nav": nav_for(access),
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )
