"""The governors' dashboard (the current term in the browser), the report's PDF for any
period, and the board's choice of sections. Governors, the chair, the head, the DSL and the
online safety lead see figures only: nothing here names a child, a member of staff or a
concern, and every number passes the same suppression as the PDF."""

from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from esafety.actions import submit_form
from esafety.people.access import SchoolAccess, roles_label, school_view
from esafety.people.models import Role
from esafety.people.navigation import nav_for
from esafety.reports import builds, periods, selectors, services
from esafety.reports.forms import PeriodForm, SettingsForm
from esafety.reports.models import Trust
from esafety.reports.pdf import file_name, report_pdf, trust_report_pdf
from esafety.reports.trusts import trust_report, trust_view

READERS = (Role.GOVERNOR, Role.HEAD, Role.DSL, Role.ONLINE_SAFETY_LEAD)
# The board decides what its report contains, not the head.
BOARD = (Role.GOVERNOR,)


def generated_by(access: SchoolAccess) -> str:
    """Who made the report, as a named role: never a person's name."""
    if access.is_chair:
        return "Chair of governors"
    return roles_label(r for r in access.roles if r in READERS)


@school_view(*READERS)
def dashboard(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    period = periods.term_of(access.school, timezone.localdate())
    report = selectors.report_for(school=access.school, period=period)
    form = PeriodForm(school=access.school, initial={"period": f"term:{period.start:%Y-%m-%d}"})
    return render(
        request,
        "reports/dashboard.html",
        {
            "access": access,
            "nav": nav_for(access),
            "report": report,
            "form": form,
            "is_board": access.has(*BOARD),
        },
    )


@school_view(*READERS)
def report_pdf_download(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    data = request.GET if "period" in request.GET else None
    form = PeriodForm(data, school=access.school)
    if data is None:
        period = periods.term_of(access.school, timezone.localdate())
    elif form.is_valid():
        period = form.chosen
    else:
        report = selectors.report_for(
            school=access.school, period=periods.term_of(access.school, timezone.localdate())
        )
        context = {
            "access": access,
            "nav": nav_for(access),
            "report": report,
            "form": form,
            "is_board": access.has(*BOARD),
        }
        return render(request, "reports/dashboard.html", context, status=400)
    if builds.is_long(period):
        # More than a year: built by a worker and kept for download, not made while they wait.
        return render(
            request,
            "reports/build_confirm.html",
            {"access": access, "nav": nav_for(access), "period": period, "form": form},
        )
    report = selectors.report_for(school=access.school, period=period)
    pdf = report_pdf(report=report, generated_by=generated_by(access))
    services.report_download_record(actor=access.user, school=access.school, period=period)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(report.period)}"'
    response["Cache-Control"] = "no-store"
    return response


@school_view(*READERS)
def audit175(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    """The figures the section 175/157 audit asks for, for the academic year so far."""
    period = periods.year_of(access.school, timezone.localdate())
    report = selectors.report_for(school=access.school, period=period)
    return render(
        request,
        "reports/audit175.html",
        {"access": access, "nav": nav_for(access), "report": report},
    )


@school_view(*BOARD)
def report_settings(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    current = selectors.settings_of(access.school)
    available = selectors.available_sections()
    chosen = [s.key for s in selectors.chosen_sections(current)]
    form = SettingsForm(
        request.POST or None,
        sections=available,
        initial={"sections": chosen, "threshold": current.threshold},
    )
    saved = (
        request.method == "POST"
        and form.is_valid()
        and submit_form(
            request,
            form,
            lambda: services.report_settings_update(
                actor=access.user,
                school=access.school,
                sections=form.cleaned_data["sections"],
                threshold=form.cleaned_data["threshold"],
            ),
            "The report's sections are saved.",
        )
    )
    if saved:
        return redirect("reports:dashboard", access.school.code)
    return render(
        request,
        "reports/settings_form.html",
        {"access": access, "nav": nav_for(access), "form": form},
    )


@school_view(*READERS)
@require_POST
def build_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = PeriodForm(request.POST, school=access.school)
    if not form.is_valid():
        context = {"access": access, "nav": nav_for(access), "form": form, "period": None}
        return render(request, "reports/build_confirm.html", context, status=400)
    build = builds.report_build_start(
        actor=access.user,
        school=access.school,
        period=form.chosen,
        requested_as=generated_by(access),
    )
    return redirect("reports:build", access.school.code, build.code)


def _build(access: SchoolAccess, code: UUID):
    return get_object_or_404(selectors.builds_for(school=access.school), code=code)


@school_view(*READERS)
def build_detail(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    return render(
        request,
        "reports/build_detail.html",
        {"access": access, "nav": nav_for(access), "build": _build(access, code)},
    )


@school_view(*READERS)
def build_progress(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    build = _build(access, code)
    return JsonResponse(
        {
            "status": build.status,
            "status_label": build.get_status_display(),
            "status_text": f"{build.get_status_display()}…",
            "percent": build.percent,
            "finished": build.finished,
        }
    )


@school_view(*READERS)
def build_pdf(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    build = _build(access, code)
    if build.status != build.Status.DONE:
        raise Http404("This report is not ready")
    builds.report_build_download_record(actor=access.user, build=build)
    response = FileResponse(
        build.pdf.open("rb"),
        as_attachment=True,
        filename=builds.build_file_name(build),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    return response


# A trust of schools: its leads see figures only, each school side by side and in total.


@trust_view
def trust_dashboard(request: HttpRequest, trust: Trust) -> HttpResponse:
    report = trust_report(trust=trust)
    return render(request, "reports/trust_dashboard.html", {"report": report})


@trust_view
def trust_pdf(request: HttpRequest, trust: Trust) -> HttpResponse:
    report = trust_report(trust=trust)
    pdf = trust_report_pdf(report=report)
    services.trust_download_record(actor=request.user, trust=trust, period=report.period)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="trust-{file_name(report.period)}"'
    response["Cache-Control"] = "no-store"
    return response
