"""The office's take-downs: every use to remove, until each is marked done."""

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from consent import selectors
from consent.forms import TakeDownCloseForm
from consent.services.takedowns import takedown_close
from consent.views.common import OFFICE_AND_HEAD, page, uuid_or_404
from esafety.actions import run_service
from esafety.people.access import SchoolAccess, school_view

# Each open take-down is a form: a page of them, oldest first, then "the next" by keyset; the
# done ones likewise, newest first. Neither list grows with the school's history.
SHOWN = 20
DONE_SHOWN = 20


def _cursor(request: HttpRequest, name: str) -> UUID | None:
    value = request.GET.get(name)
    return uuid_or_404(value) if value else None


@school_view(*OFFICE_AND_HEAD)
def takedowns(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    after = _cursor(request, "after")
    before = _cursor(request, "done_before")
    open_rows = list(selectors.takedowns_open(school=access.school, after=after)[: SHOWN + 1])
    done = list(selectors.takedowns_closed(school=access.school, before=before)[: DONE_SHOWN + 1])
    counts = selectors.takedown_counts(school=access.school)
    return render(
        request,
        "consent/takedowns.html",
        page(
            access,
            open_rows=open_rows[:SHOWN],
            next_open=open_rows[SHOWN - 1].code if len(open_rows) > SHOWN else None,
            paged_open=after is not None,
            open_count=counts["open"],
            done=done[:DONE_SHOWN],
            older_done=done[DONE_SHOWN - 1].code if len(done) > DONE_SHOWN else None,
            paged_done=before is not None,
            done_count=counts["done"],
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
