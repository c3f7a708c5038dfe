"""The office's register: a class's consent at a glance, each pupil's page with their history,
decisions recorded on paper or in person, and the DSL's or head's "do not photograph"."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from consent import compliance, rules, selectors
from consent.forms import WHO_PUPIL, MarkingForm, RecordDecisionForm
from consent.services.decisions import decision_record, marking_lift, marking_set
from consent.views.common import FIGURE_READERS, RECORDERS, page, ready, uuid_or_404
from esafety.actions import run_service, submit_form
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import Pupil, Role
from esafety.people.selectors import school_classes

PUPILS_PER_PAGE = 40


@school_view(*RECORDERS)
def register(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    purposes = ready(access)
    classes = list(school_classes(school=access.school))
    chosen = request.GET.get("class") or (classes[0].code.hex if classes else "")
    pupils = (
        selectors.pupils_in_group(school=access.school, class_code=uuid_or_404(chosen))
        if chosen
        else []
    )
    shown = pupils[:PUPILS_PER_PAGE]
    states = selectors.states_for(school=access.school, pupils=shown, purposes=purposes)
    rows = [(p, [states[(p.pk, q.pk)] for q in purposes]) for p in shown]
    return render(
        request,
        "consent/register.html",
        page(
            access,
            purposes=purposes,
            classes=classes,
            chosen=chosen,
            rows=rows,
            more=len(pupils) - len(shown),
        ),
    )


def _pupil(access: SchoolAccess, code) -> Pupil:
    pupil = selectors.pupil_of(school=access.school, code=code)
    if pupil is None:
        raise Http404("No such pupil")
    return pupil


@school_view(*RECORDERS)
def pupil(request: HttpRequest, access: SchoolAccess, pupil: object) -> HttpResponse:
    child = _pupil(access, pupil)
    purposes = ready(access)
    settings = selectors.settings_of(school=access.school)
    guardians = list(selectors.guardians_of(pupil=child))
    may_decide = rules.decides_for_themselves(
        child.date_of_birth, timezone.localdate(), settings.own_decision_age
    )
    form = RecordDecisionForm(
        request.POST or None, purposes=purposes, guardians=guardians, pupil_may_decide=may_decide
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        guardian = form.guardian_by_code.get(data["who"])
        if submit_form(
            request,
            form,
            lambda: decision_record(
                actor=request.user,
                pupil=child,
                purpose=form.purpose_by_code[data["purpose"]],
                choice=data["choice"],
                method=data["method"],
                guardian=guardian,
                by_pupil=data["who"] == WHO_PUPIL,
            ),
            "The decision is recorded.",
        ):
            return redirect("consent:pupil", school=access.school.code, pupil=child.code)
    states = selectors.states_for(school=access.school, pupils=[child], purposes=purposes)
    marking = selectors.active_marking(pupil=child)
    return render(
        request,
        "consent/pupil.html",
        page(
            access,
            pupil=child,
            form=form,
            states=[(q, states[(child.pk, q.pk)]) for q in purposes],
            history=list(selectors.pupil_history(pupil=child)[:50]),
            marked=marking is not None,
            reason=selectors.marking_reason(access=access, marking=marking),
            may_mark=access.has(*selectors.MARKING_ROLES),
            marking_form=MarkingForm(),
            own_age=settings.own_decision_age,
            may_decide=may_decide,
        ),
    )


@school_view(Role.DSL, Role.HEAD)
@require_POST
def mark(request: HttpRequest, access: SchoolAccess, pupil: object) -> HttpResponse:
    child = _pupil(access, pupil)
    if request.POST.get("lift"):
        run_service(
            request,
            lambda: marking_lift(actor=request.user, pupil=child),
            "The marking is lifted: the pupil's own consent decisions apply again.",
        )
    else:
        form = MarkingForm(request.POST)
        if form.is_valid():
            run_service(
                request,
                lambda: marking_set(
                    actor=request.user, pupil=child, reason=form.cleaned_data["reason"]
                ),
                "Marked: do not photograph. Every use of this pupil is now a take-down.",
            )
        else:
            messages.error(request, "Write why (only the DSL and the head will ever read it).")
    return redirect("consent:pupil", school=access.school.code, pupil=child.code)


@school_view(*FIGURE_READERS)
def figures(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    ready(access)
    return render(
        request,
        "consent/figures.html",
        page(access, figures=compliance.figures(school=access.school)),
    )
