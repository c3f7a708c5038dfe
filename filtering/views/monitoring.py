"""Monitoring: the weekly reports acknowledged (and the weeks missed), the out-of-hours rota and
the urgent alerts."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from esafety.actions import submit_form
from esafety.people.access import SchoolAccess, school_view
from filtering.forms import AcknowledgeForm, AlertForm, ShiftForm
from filtering.selectors import evidence as selectors
from filtering.selectors import status
from filtering.services import monitoring as services
from filtering.views.common import KEEPERS, READERS, ctx, form_page


def _reports_page(request, access, failed: AcknowledgeForm | None = None) -> HttpResponse:
    reports = status.report_weeks(school=access.school, today=timezone.localdate())
    rows, placed = [], False
    for row in reports.rows:
        form = AcknowledgeForm(initial={"week_start": row.week_start}, prefix=str(row.week_start))
        if failed is not None and row.ack is None and failed.prefix == str(row.week_start):
            form, placed = failed, True
        rows.append((row, form))
    if failed is not None and not placed:
        # The week is acknowledged already (or not shown): say why nothing was saved.
        for error in failed.non_field_errors() or ["That week could not be acknowledged."]:
            messages.error(request, error)
    return render(request, "filtering/report_list.html", ctx(access, reports=reports, rows=rows))


@school_view(*READERS)
def reports(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    return _reports_page(request, access)


@school_view(*READERS)
@require_POST
def report_acknowledge(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    prefix = request.POST.get("prefix", "")
    form = AcknowledgeForm(request.POST, prefix=prefix or None)
    if form.is_valid():
        data = form.cleaned_data
        if submit_form(
            request,
            form,
            lambda: services.report_acknowledge(
                school=access.school,
                actor=request.user,
                week_start=data["week_start"],
                note=data["note"],
                showed_concern=data["showed_concern"],
                concern_code=data["concern"],
            ),
            "The report is acknowledged.",
        ):
            return redirect("filtering:reports", access.school.code)
    return _reports_page(request, access, failed=form)


def _on_call_members(access: SchoolAccess):
    return selectors.members_holding(school=access.school, roles=services.ON_CALL_ROLES)


@school_view(*READERS)
def alerts(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "filtering/alerts.html",
        ctx(
            access,
            shifts=selectors.shifts(school=access.school, since=today),
            alerts=selectors.alerts(school=access.school),
            today=today,
            shift_form=ShiftForm(members=_on_call_members(access)),
        ),
    )


@school_view(*KEEPERS)
@require_POST
def shift_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = ShiftForm(request.POST, members=_on_call_members(access))
    if form.is_valid() and submit_form(
        request,
        form,
        lambda: services.shift_record(
            school=access.school, actor=request.user, **form.cleaned_data
        ),
        "The shift is on the rota.",
    ):
        return redirect("filtering:alerts", access.school.code)
    today = timezone.localdate()
    return render(
        request,
        "filtering/alerts.html",
        ctx(
            access,
            shifts=selectors.shifts(school=access.school, since=today),
            alerts=selectors.alerts(school=access.school),
            today=today,
            shift_form=form,
        ),
    )


@school_view(*READERS)
def alert_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = AlertForm(
        request.POST or None,
        members=_on_call_members(access),
        initial={"received_by": request.user.pk},
    )

    def do() -> None:
        data = dict(form.cleaned_data)
        concern_code = data.pop("concern")
        services.alert_record(
            school=access.school, actor=request.user, concern_code=concern_code, **data
        )

    return form_page(
        request,
        access,
        form=form,
        do=do,
        done="The alert is recorded.",
        then=lambda: reverse("filtering:alerts", args=[access.school.code]),
        template="filtering/alert_form.html",
    )
