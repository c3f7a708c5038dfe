"""The office's take-downs: every use to remove, until each is marked done."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from consent import selectors
from consent.forms import TakeDownCloseForm
from consent.services.takedowns import takedown_close
from consent.views.common import OFFICE_AND_HEAD, page
from esafety.actions import run_service
from esafety.people.access import SchoolAccess, school_view

SHOWN = 50


@school_view(*OFFICE_AND_HEAD)
def takedowns(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    open_rows = list(selectors.takedowns_open(school=access.school)[: SHOWN + 1])
    done = list(selectors.takedowns_closed(school=access.school)[:SHOWN])
    return render(
        request,
        "consent/takedowns.html",
        page(
            access,
            open_rows=open_rows[:SHOWN],
            more=len(open_rows) > SHOWN,
            open_count=selectors.open_takedown_count(school=access.school),
            done=done,
        ),
    )


@school_view(*OFFICE_AND_HEAD)
@require_POST
def takedown_done(request: HttpRequest, access: SchoolAccess, takedown: object) -> HttpResponse:
    row = selectors.takedown_of(school=access.school, code=takedown)
    if row is None:
        raise Http404("No such take-down")
    form = TakeDownCloseForm(request.POST)
    how = request.POST.get("how", "") if not form.is_valid() else form.cleaned_data["how"]
    cannot = bool(form.is_valid() and form.cleaned_data["cannot_recall"])
    run_service(
        request,
        lambda: takedown_close(actor=request.user, takedown=row, how=how, cannot_recall=cannot),
        "Marked as not recallable, with your note." if cannot else "Marked removed.",
    )
    return redirect("consent:takedowns", school=access.school.code)
