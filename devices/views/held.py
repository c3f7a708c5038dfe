"""Confiscated devices: the list, confiscating, a device's page and chain, moving, release."""

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from devices import pdf
from devices.forms import (
    OTHER,
    ConfiscateForm,
    EvidenceReleaseForm,
    MoveForm,
    PoliceForm,
    ReleaseForm,
)
from devices.models import Device, DeviceKind, DeviceStatus
from devices.selectors import held as selectors
from devices.services import custody as services
from devices.views.common import HANDLERS
from esafety.actions import run_service, submit_form
from esafety.formats import date_text
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import Role
from esafety.people.navigation import nav_for


def _device(access: SchoolAccess, code: UUID) -> Device:
    device = selectors.device_for(access, code)
    if device is None:
        raise Http404("No such device")
    return device


@dataclass(frozen=True, slots=True)
class HeldRow:
    """A row of the devices-held page, its text worked out here rather than by the template's
    lookups, filters and a {% url %} per row (100 rows a list at most)."""

    href: str
    label: str  # "Mobile phone: Black case", or "Sealed bag EB-1" for evidence
    pupil: str
    kind: str
    taken: str  # "3 Dec 09:15 by Sam Staff"
    held_at: str
    status: str
    closed: str  # "5 Dec"


def _device_href(access: SchoolAccess) -> Callable[[UUID], str]:
    """The address reverse("devices:device", ...) gives, reversed once a page."""
    zero = UUID(int=0)
    head, tail = reverse("devices:device", args=[access.school.code, zero]).split(str(zero))
    return lambda code: f"{head}{code}{tail}"


def _rows(access: SchoolAccess, devices: list[Device], *, taken: bool) -> list[HeldRow]:
    """`taken`: the list read each device's pupil and who took it (the confiscated list)."""
    href = _device_href(access)
    kinds, statuses = dict(DeviceKind.choices), dict(DeviceStatus.choices)
    rows = []
    for d in devices:
        kind = kinds.get(d.kind, d.kind)
        pupil = d.pupil if taken and d.pupil_id else None
        rows.append(
            HeldRow(
                href=href(d.code),
                label=f"Sealed bag {d.sealed_bag}" if d.is_evidence else f"{kind}: {d.description}",
                pupil=f"{pupil.last_name}, {pupil.first_name}" if pupil else "",
                kind=kind,
                taken=date_text(timezone.localtime(d.taken_at), "j M H:i")
                + (f" by {d.taken_by.get_full_name()}" if taken else ""),
                held_at=d.held_at,
                status=statuses.get(d.status, d.status),
                closed=date_text(timezone.localtime(d.closed_at), "j M") if d.closed_at else "",
            )
        )
    return rows


@school_view(*HANDLERS)
def held(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    page = selectors.held_page(access)
    return render(
        request,
        "devices/held.html",
        {
            "access": access,
            "nav": nav_for(access),
            "devices": _rows(access, page.devices, taken=True),
            "total": page.total,
            "evidence": _rows(access, page.evidence, taken=False),
            "evidence_total": page.evidence_total,
            "closed": _rows(access, page.closed, taken=False),
        },
    )


@school_view(*HANDLERS)
def confiscate(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = ConfiscateForm(request.POST or None, school=access.school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made: list[Device] = []

        def do() -> None:
            made.append(
                services.device_confiscate(
                    actor=access.user,
                    pupil=data["pupil"],
                    kind=data["kind"],
                    description=data["description"],
                    reason=data["reason"],
                    held_at=data["held_at"],
                    condition=data["condition"],
                    medical_confirmed=data["medical_confirmed"],
                )
            )

        # A medical-exception phone is refused with a warning on the form until the box
        # saying a senior leader agreed is ticked (services.custody.MedicalPhoneWarning).
        if submit_form(request, form, do, "The device is recorded and its chain begun."):
            return redirect("devices:device", access.school.code, made[0].code)
    return render(
        request,
        "devices/confiscate.html",
        {"access": access, "nav": nav_for(access), "form": form},
    )


@school_view(*HANDLERS)
def device(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    found = _device(access, code)
    services.evidence_viewed(actor=access.user, device=found)
    is_dsl = access.has(Role.DSL)
    return render(
        request,
        "devices/device_detail.html",
        {
            "access": access,
            "nav": nav_for(access),
            "device": found,
            "chain": selectors.chain(found),
            "move_form": MoveForm(),
            "police_form": PoliceForm() if found.is_evidence and is_dsl and found.held else None,
            "evidence_release_form": EvidenceReleaseForm()
            if found.is_evidence and is_dsl and found.held
            else None,
        },
    )


@school_view(*HANDLERS)
@require_POST
def move(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    found = _device(access, code)
    form = MoveForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.device_move(
                actor=access.user,
                device=found,
                place=form.cleaned_data["place"],
                person=form.cleaned_data["person"],
            ),
            "The movement is added to the chain of custody.",
        )
    return redirect("devices:device", access.school.code, found.code)


@school_view(*HANDLERS)
def release(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    found = _device(access, code)
    guardians = selectors.guardians_of(found)
    form = ReleaseForm(request.POST or None, guardians=guardians)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit_form(
            request,
            form,
            lambda: services.device_release(
                actor=access.user,
                device=found,
                guardian=form.guardian() if data["to"] != OTHER else None,
                other_name=data["other_name"],
                other_reason=data["other_reason"],
                signature=data["signature"],
            ),
            "The device is released and signed for.",
        ):
            return redirect("devices:device", access.school.code, found.code)
    return render(
        request,
        "devices/device_release.html",
        {"access": access, "nav": nav_for(access), "device": found, "form": form},
    )


@school_view(*HANDLERS)
def custody_pdf(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    found = _device(access, code)
    services.chain_printed(actor=access.user, device=found)
    return pdf.custody_response(device=found, chain=selectors.chain(found))
