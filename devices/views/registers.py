"""The exceptions register, searches and school equipment."""

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from devices.forms import CheckOutForm, EquipmentForm, ExceptionForm, ReviewForm, SearchForm
from devices.models import ExceptionReason, PhoneException
from devices.selectors import desk as desk_selectors
from devices.selectors import equipment as equipment_selectors
from devices.selectors import held as held_selectors
from devices.services import equipment as equipment_services
from devices.services import exceptions as exception_services
from devices.services import searches as search_services
from devices.services.common import school_today
from devices.views.common import (
    EQUIPMENT,
    HANDLERS,
    REGISTER_KEEPERS,
    REGISTER_READERS,
    SEARCH_READERS,
)
from esafety.actions import run_service, submit_form
from esafety.formats import date_text
from esafety.paging import page_number
from esafety.people.access import SchoolAccess, school_view
from esafety.people.navigation import nav_for


@dataclass(frozen=True, slots=True)
class ExceptionRow:
    """A line of the register, its text worked out here rather than by the template's lookups,
    date filters and a {% url %} per line."""

    href: str  # the exception's page, for those who keep the register
    pupil: str  # "Last, First"
    group: str  # the pupil's class
    reason: str
    starts_on: str
    ends_on: str
    review_due: str
    due: bool  # the review is due today or overdue


def _exception_rows(
    access: SchoolAccess, exceptions: list[PhoneException], today: datetime.date
) -> list[ExceptionRow]:
    zero = str(UUID(int=0))
    link = reverse("devices:exception", args=[access.school.code, zero]).split(zero)
    keeps = access.has(*REGISTER_KEEPERS)
    reasons = dict(ExceptionReason.choices)
    return [
        ExceptionRow(
            href=str(e.code).join(link) if keeps else "",
            pupil=f"{e.pupil.last_name}, {e.pupil.first_name}",
            group=e.pupil.school_class.name if e.pupil.school_class else "",
            reason=reasons.get(e.reason, e.reason),
            starts_on=date_text(e.starts_on, "j M Y"),
            ends_on=date_text(e.ends_on, "j M Y") if e.ends_on else "—",
            review_due=date_text(e.review_due, "j M Y"),
            due=e.review_due <= today,
        )
        for e in exceptions
    ]


@school_view(*REGISTER_READERS)
def exceptions(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    page = desk_selectors.exceptions_list(
        school=access.school, page=page_number(request.GET.get("page"))
    )
    today = school_today(access.school)
    return render(
        request,
        "devices/exception_list.html",
        {
            "access": access,
            "nav": nav_for(access),
            "rows": _exception_rows(access, page.rows, today),
            "page": page,
            "can_keep": access.has(*REGISTER_KEEPERS),
        },
    )


@school_view(*REGISTER_KEEPERS)
def exception_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = ExceptionForm(request.POST or None, school=access.school)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if submit_form(
            request,
            form,
            lambda: exception_services.exception_grant(
                actor=access.user,
                pupil=d["pupil"],
                reason=d["reason"],
                detail=d["detail"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                review_due=d["review_due"],
            ),
            "The exception is on the register.",
        ):
            return redirect("devices:exceptions", access.school.code)
    return render(
        request,
        "devices/exception_form.html",
        {"access": access, "nav": nav_for(access), "form": form},
    )


def _exception(access: SchoolAccess, code: UUID):
    found = desk_selectors.exception_of(school=access.school, code=code)
    if found is None:
        raise Http404("No such exception")
    return found


@school_view(*REGISTER_KEEPERS)
def exception(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    found = _exception(access, code)
    form = ReviewForm(request.POST or None, initial={"review_due": found.review_due})
    if (
        request.method == "POST"
        and form.is_valid()
        and submit_form(
            request,
            form,
            lambda: exception_services.exception_review(
                actor=access.user, exception=found, review_due=form.cleaned_data["review_due"]
            ),
            "The review is recorded.",
        )
    ):
        return redirect("devices:exceptions", access.school.code)
    return render(
        request,
        "devices/exception_detail.html",
        {"access": access, "nav": nav_for(access), "exception": found, "form": form},
    )


@school_view(*REGISTER_KEEPERS)
@require_POST
def exception_end(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    found = _exception(access, code)
    if run_service(
        request,
        lambda: exception_services.exception_end(actor=access.user, exception=found),
        "The exception is withdrawn from today.",
    ):
        return redirect("devices:exceptions", access.school.code)
    return redirect("devices:exception", access.school.code, found.code)


@school_view(*SEARCH_READERS)
def searches(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    rows, total = held_selectors.searches(access)
    return render(
        request,
        "devices/search_list.html",
        {"access": access, "nav": nav_for(access), "rows": rows, "total": total},
    )


@school_view(*HANDLERS)
def search_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = SearchForm(request.POST or None, school=access.school)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if submit_form(
            request,
            form,
            lambda: search_services.search_record(actor=access.user, **d),
            "The search is recorded.",
        ):
            return redirect("devices:held", access.school.code)
    return render(
        request,
        "devices/search_form.html",
        {"access": access, "nav": nav_for(access), "form": form},
    )


@school_view(*EQUIPMENT)
def equipment(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    rows, total = equipment_selectors.equipment_list(school=access.school)
    week = equipment_services.iso_week(access.school)
    return render(
        request,
        "devices/equipment_list.html",
        {
            "access": access,
            "nav": nav_for(access),
            "rows": rows,
            "total": total,
            "week": week,
            "wiped": equipment_selectors.camera_week_confirmed(school=access.school, week=week),
            # The staff to choose from, read once for every row's check-out.
            "staff_choices": list(CheckOutForm(school=access.school).fields["member"].choices),
            "form": EquipmentForm(),
        },
    )


@school_view(*EQUIPMENT)
def equipment_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = EquipmentForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and submit_form(
            request,
            form,
            lambda: equipment_services.equipment_add(
                actor=access.user, school=access.school, **form.cleaned_data
            ),
            "The item is on the equipment list.",
        )
    ):
        return redirect("devices:equipment", access.school.code)
    return render(
        request,
        "devices/equipment_form.html",
        {"access": access, "nav": nav_for(access), "form": form},
    )


def _item(access: SchoolAccess, code: UUID):
    found = equipment_selectors.equipment_of(school=access.school, code=code)
    if found is None:
        raise Http404("No such item")
    return found


@school_view(*EQUIPMENT)
@require_POST
def equipment_out(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    item = _item(access, code)
    form = CheckOutForm(request.POST, school=access.school)
    if form.is_valid():
        run_service(
            request,
            lambda: equipment_services.equipment_check_out(
                actor=access.user, item=item, member=form.cleaned_data["member"]
            ),
            f"{item.asset_tag} is checked out.",
        )
    else:
        messages.error(request, "Choose the member of staff taking it off site.")
    return redirect("devices:equipment", access.school.code)


@school_view(*EQUIPMENT)
@require_POST
def equipment_in(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    item = _item(access, code)
    run_service(
        request,
        lambda: equipment_services.equipment_check_in(actor=access.user, item=item),
        f"{item.asset_tag} is checked in.",
    )
    return redirect("devices:equipment", access.school.code)


@school_view(*EQUIPMENT)
@require_POST
def camera_wipe(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    run_service(
        request,
        lambda: equipment_services.camera_wipe_confirm(actor=access.user, school=access.school),
        "This week's deletion of camera images is confirmed.",
    )
    return redirect("devices:equipment", access.school.code)
