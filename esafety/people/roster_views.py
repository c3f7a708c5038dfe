from uuid import UUID

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from esafety.csv_export import csv_download
from esafety.people import selectors
from esafety.people.access import SchoolAccess, school_view
from esafety.people.forms import RosterUploadForm
from esafety.people.models import Role
from esafety.people.navigation import nav_for
from esafety.people.roster.columns import COLUMNS
from esafety.people.roster.problems import roster_problem_count, roster_problems
from esafety.people.roster.services import roster_import_start, roster_problems_exported


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
    problem_count = roster_problem_count(roster_import)
    return render(
        request,
        "people/roster_detail.html",
        {
            "access": access,
            "nav": nav_for(access),
            "roster_import": roster_import,
            # The page lists the first problems only, so its size never grows with the file.
            "problem_count": problem_count,
            "more_problems": problem_count - len(roster_import.errors),
        },
    )


@school_view(Role.OFFICE, Role.HEAD)
def roster_problems_csv(
    request: HttpRequest, access: SchoolAccess, code: UUID
) -> StreamingHttpResponse:
    roster_import = get_object_or_404(
        selectors.roster_imports_for_school(school=access.school), code=code
    )
    roster_problems_exported(actor=request.user, roster_import=roster_import)

    def rows():
        yield ["Line", "Problem"]
        for problem in roster_problems(roster_import):
            yield [problem["line"] or "", problem["message"]]

    day = timezone.localdate(roster_import.created_at)
    return csv_download(rows(), filename=f"roster-problems-{day:%Y-%m-%d}.csv")


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
