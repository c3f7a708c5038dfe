"""Devices held as evidence (the DSL): quarantined from a concern's page, handed to the police,
or released with the police's advice. Another member asking about one gets 404, as for a device
that does not exist."""

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from devices.forms import EvidenceForm, EvidenceReleaseForm, PoliceForm
from devices.services import evidence as services
from devices.views.common import EVIDENCE
from devices.views.held import _device
from esafety.actions import submit_form
from esafety.people.access import SchoolAccess, school_view
from esafety.people.navigation import nav_for


@school_view(*EVIDENCE)
@require_POST
def evidence_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = EvidenceForm(request.POST, prefix="evidence")
    made = []
    if form.is_valid():
        data = form.cleaned_data

        def do() -> None:
            made.append(
                services.evidence_quarantine(
                    actor=access.user,
                    school=access.school,
                    token=data["link"],
                    kind=data["kind"],
                    description=data["description"],
                    sealed_bag=data["sealed_bag"],
                    held_at=data["held_at"],
                    reason=data["reason"],
                )
            )

        if submit_form(request, form, do, "The device is quarantined as evidence."):
            return redirect("devices:device", access.school.code, made[0].code)
    return render(
        request,
        "devices/evidence_new.html",
        {"access": access, "nav": nav_for(access), "form": form},
    )


@school_view(*EVIDENCE)
@require_POST
def police(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    found = _device(access, code)
    form = PoliceForm(request.POST)
    if form.is_valid() and submit_form(
        request,
        form,
        lambda: services.evidence_to_police(
            actor=access.user,
            device=found,
            reference=form.cleaned_data["reference"],
            officer=form.cleaned_data["officer"],
        ),
        "The device is recorded as handed to the police.",
    ):
        return redirect("devices:device", access.school.code, found.code)
    return render(
        request,
        "devices/evidence_action.html",
        {
            "access": access,
            "nav": nav_for(access),
            "device": found,
            "form": form,
            "title": "Hand to the police",
            "action": "devices:police",
        },
    )


@school_view(*EVIDENCE)
def evidence_release(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    found = _device(access, code)
    form = EvidenceReleaseForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and submit_form(
            request,
            form,
            lambda: services.evidence_release(
                actor=access.user,
                device=found,
                to_name=form.cleaned_data["to_name"],
                police_advice=form.cleaned_data["police_advice"],
                signature=form.cleaned_data["signature"],
            ),
            "The evidence device is released on the police's advice.",
        )
    ):
        return redirect("devices:device", access.school.code, found.code)
    return render(
        request,
        "devices/evidence_action.html",
        {
            "access": access,
            "nav": nav_for(access),
            "device": found,
            "form": form,
            "title": "Release on police advice",
            "action": "devices:evidence_release",
        },
    )
