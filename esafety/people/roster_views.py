from uuid import UUID

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from esafety.people import selectors
from esafety.people.access import SchoolAccess, school_view
from esafety.people.forms import RosterUploadForm
from esafety.people.models import Role
from esafety.people.navigation import nav_for
from esafety.people.roster import COLUMNS, roster_import_start


@school_view(Role.OFFICE, Role.HEAD)
def roster_list(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        roster_import = roster_import_start(
            actor=request.user, school=access.school, upload=form.cleaned_data["file"]
        )
        return redirect("people:roster_detail", school=access.school.code, code=roster_import.code)
    imports = selectors.roster_imports_for_school(school=access.school)[:20]
    return render(
        request,
        "people/roster_list.html",
        {
            "access": access,
            "nav": nav_for(access),
            "form": form,
            "imports": imports,
            "columns": COLUMNS,
        },
    )


@school_view(Role.OFFICE, Role.HEAD)
def roster_detail(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    roster_import = get_object_or_404(
        selectors.roster_imports_for_school(school=access.school), code=code
    )
    return render(
        request,
        "people/roster_detail.html",
        {"access": access, "nav": nav_for(access), "roster_import": roster_import},
    )


@school_view(Role.OFFICE, Role.HEAD)
def roster_progress(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    r = get_object_or_404(selectors.roster_imports_for_school(school=access.school), code=code)
    return JsonResponse(
        {
            "status": r.status,
            "status_label": r.get_status_display(),
            "percent": r.percent,
            "processed_rows": r.processed_rows,
            "total_rows": r.total_rows,
            "finished": r.status in (r.Status.DONE, r.Status.FAILED),
        }
    )
