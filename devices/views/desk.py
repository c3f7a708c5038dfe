"""The hand-in desk: one tablet screen for the morning and the afternoon."""

from dataclasses import dataclass
from urllib.parse import urlencode
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.views.decorators.http import require_POST

from devices.forms import CheckInForm, DeskSearchForm, SettingsForm
from devices.selectors import desk as selectors
from devices.services import desk as services
from devices.services.common import school_today, settings_for, settings_update
from devices.views.common import DESK
from esafety.actions import run_service, submit_form
from esafety.paging import page_number
from esafety.people.access import SchoolAccess, school_view
from esafety.people.navigation import nav_for


@dataclass(frozen=True, slots=True)
class Line:
    """A pupil's line at the desk, its text and the addresses its buttons post to worked out
    here, not by the template's lookups and two {% url %} per line."""

    code: str
    first_name: str
    last_name: str
    group: str  # the class, or the year group
    state: str  # medical, not_in, in, back
    since: str  # "08:41": in since, or handed back at
    condition: str
    check_in: str
    hand_back: str


def _lines(access: SchoolAccess, rows: list[selectors.DeskRow]) -> list[Line]:
    zero = str(UUID(int=0))
    check_in = reverse("devices:check_in", args=[access.school.code, zero]).split(zero)
    hand_back = reverse("devices:hand_back", args=[access.school.code, zero]).split(zero)
    lines = []
    for row in rows:
        pupil, hand_in, code = row.pupil, row.hand_in, str(row.pupil.code)
        at = None
        if hand_in is not None:
            at = hand_in.returned_at or hand_in.checked_in_at
        lines.append(
            Line(
                code=code,
                first_name=pupil.first_name,
                last_name=pupil.last_name,
                group=(pupil.school_class.name if pupil.school_class else "") or pupil.year_group,
                state=row.state,
                since=time_format(timezone.localtime(at), "H:i") if at else "",
                condition=hand_in.condition if hand_in else "",
                check_in=code.join(check_in),
                hand_back=code.join(hand_back),
            )
        )
    return lines


@school_view(*DESK)
def desk(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    search = DeskSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    today = school_today(access.school)
    found = selectors.desk(
        school=access.school,
        day=today,
        query=query,
        page=page_number(request.GET.get("page")),
    )
    return render(
        request,
        "devices/desk.html",
        {
            "access": access,
            "nav": nav_for(access),
            "search": search,
            "query": query,
            "today": today,
            "desk": found,
            "lines": _lines(access, found.rows),
            "page": found.page,
            # The search, for the pager's links (which add their page).
            "page_query": urlencode({"q": query}) if query else "",
        },
    )


def _back(access: SchoolAccess, request: HttpRequest) -> HttpResponse:
    """Back to the desk as it was: the same search, the same page."""
    url = reverse("devices:desk", args=[access.school.code])
    query = request.POST.get("q", "").strip()[:100]
    page = page_number(request.POST.get("page"))
    kept = {**({"q": query} if query else {}), **({"page": str(page)} if page > 1 else {})}
    if kept:
        url += "?" + urlencode(kept)
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
