"""A parent's consent page: every purpose for each of their own children, on one page."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from consent import selectors
from consent.forms import ChildChoicesForm
from consent.models import Choice, Decision
from consent.services.decisions import decisions_record_online
from consent.views.common import page, ready, uuid_or_404
from esafety.actions import submit_form
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import Pupil, Role


@dataclass
class ChildPage:
    child: Pupil
    form: ChildChoicesForm
    # The child's own decisions (from the age of own decision), by purpose id.
    own: dict[int, Decision]
    # The latest parent decision by purpose id (who, when, how).
    parents: dict[int, Decision]


def _form(child, purposes, latest, data=None) -> ChildChoicesForm:
    # A public-task purpose with no objection is shown as the yes it is.
    initial = {p.pk: Choice.GRANTED for p in purposes if not p.needs_consent}
    initial |= {
        p.pk: latest[(child.pk, p.pk, False)].choice
        for p in purposes
        if (child.pk, p.pk, False) in latest
    }
    return ChildChoicesForm(
        data, purposes=purposes, initial_choices=initial, prefix=f"c{child.code.hex}"
    )


@school_view(Role.PARENT)
def mine(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    purposes = ready(access)
    children = list(selectors.children_of(user=request.user, school=access.school))
    latest = selectors.own_decisions(pupils=children, purposes=purposes)
    bound: ChildChoicesForm | None = None
    bound_child: Pupil | None = None
    if request.method == "POST":
        code = uuid_or_404(request.POST.get("child"))
        # Only the parent's own children are found: another family's child is a 404.
        bound_child = next((c for c in children if c.code == code), None)
        if bound_child is None:
            raise Http404("No such child")
        bound = _form(bound_child, purposes, latest, request.POST)
        if bound.is_valid():
            form, child = bound, bound_child
            if submit_form(
                request,
                form,
                lambda: decisions_record_online(
                    actor=request.user, pupil=child, choices=form.choices()
                ),
                f"Your choices for {child.first_name} are saved. You can change them at any time.",
            ):
                return redirect("consent:mine", school=access.school.code)
    pages = []
    for child in children:
        form = bound if child is bound_child and bound is not None else None
        pages.append(
            ChildPage(
                child=child,
                form=form or _form(child, purposes, latest),
                own={
                    p.pk: latest[(child.pk, p.pk, True)]
                    for p in purposes
                    if (child.pk, p.pk, True) in latest
                },
                parents={
                    p.pk: latest[(child.pk, p.pk, False)]
                    for p in purposes
                    if (child.pk, p.pk, False) in latest
                },
            )
        )
    return render(
        request,
        "consent/mine.html",
        page(
            access,
            children=pages,
            purposes=purposes,
            consent_form=selectors.current_form(school=access.school),
        ),
    )
