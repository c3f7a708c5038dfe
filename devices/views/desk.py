"""The hand-in desk: one tablet screen for the morning and the afternoon."""

from urllib.parse import urlencode
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from devices.forms import CheckInForm, DeskSearchForm, SettingsForm
from devices.selectors import desk as selectors
from devices.services import desk as services
from devices.services.common import school_today, settings_for, settings_update
from devices.views.common import DESK
from esafety.actions import run_service, submit_form
from esafety.people.access import SchoolAccess, school_view
from esafety.people.navigation import nav_for


@school_view(*DESK)
def desk(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    search = DeskSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    today = school_today(access.school)
    return render(
        request,
        "devices/desk.html",
        {
            "access": access,
            "nav": nav_for(access),
            "search": search,
            "query": query,
            "today": today,
            "desk": selectors.desk(school=access.school, day=today, query=query),
        },
    )


def _back(access: SchoolAccess, request: HttpRequest) -> HttpResponse:
    url = reverse("devices:desk", args=[access.school.code])
    query = request.POST.get("q", "").strip()[:100]
    if query:
        url += "?" + urlencode({"q": query})
    return redirect(url)


def _pupil(access: SchoolAccess, code: UUID):
    pupil = selectors.desk_pupil(school=access.school, code=code)
    if pupil is None:
        raise Http404("No such pupil")
    return pupil


@school_view(*DESK)
@require_POST
def check_in(request: HttpRequest, access: SchoolAccess, pupil: UUID) -> HttpResponse:
    child = _pupil(access, pupil)
    form = CheckInForm(request.POST)
    condition = form.cleaned_data["condition"] if form.is_valid() else ""
    run_service(
        request,
        lambda: services.phone_check_in(actor=access.user, pupil=child, condition=condition),
        f"{child.full_name}'s phone is in.",
    )
    return _back(access, request)


@school_view(*DESK)
@require_POST
def hand_back(request: HttpRequest, access: SchoolAccess, pupil: UUID) -> HttpResponse:
    child = _pupil(access, pupil)
    run_service(
        request,
        lambda: services.phone_hand_back(actor=access.user, pupil=child),
        f"{child.full_name}'s phone is handed back.",
    )
    return _back(access, request)


@school_view(*DESK)
def settings(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    current = settings_for(access.school)
    form = SettingsForm(
        request.POST or None,
        initial={"end_of_day": current.end_of_day, "held_days": current.held_days},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and submit_form(
            request,
            form,
            lambda: settings_update(actor=access.user, school=access.school, **form.cleaned_data),
            "The devices settings are saved.",
        )
    ):
        return redirect("devices:desk", access.school.code)
    return render(
        request, "devices/settings.html", {"access": access, "nav": nav_for(access), "form": form}
    )
