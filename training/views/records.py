"""A member's own training, adding a record with its certificate, and the check by the online
safety lead, the DSL or the head."""

from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from esafety.actions import run_service, submit_form
from esafety.people.access import SchoolAccess, school_view
from training.forms.records import RecordForm, RejectForm
from training.models import TrainingRecord
from training.selectors import records as selectors
from training.selectors.matrix import build_matrix, courses_in_use
from training.services import records as services
from training.services.common import settings_for
from training.views.common import TRAINEE_ROLES, VERIFIER_ROLES, ctx


def _record(access: SchoolAccess, code: UUID) -> TrainingRecord:
    record = selectors.record_for(access, code)
    if record is None:
        raise Http404("No such record")
    return record


def _may_check(access: SchoolAccess, record: TrainingRecord) -> bool:
    return (
        selectors.may_see_everyone(access)
        and record.person_id != access.user.pk
        and not record.is_verified
        and not record.is_rejected
    )


@school_view(*TRAINEE_ROLES)
def mine(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    matrix = build_matrix(
        school=access.school, only=access.user, settings=settings_for(school=access.school)
    )
    row = matrix.rows[0] if matrix.rows else None
    cells = (
        [(col, cell) for col, cell in zip(matrix.columns, row.cells, strict=True) if cell]
        if row
        else []
    )
    return render(
        request,
        "training/mine.html",
        ctx(access, cells=cells, records=list(selectors.my_records(access)[:100])),
    )


@school_view(*TRAINEE_ROLES)
def record_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        courses=courses_in_use(school=access.school),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit_form(
            request,
            form,
            lambda: services.record_add(
                actor=request.user,
                school=access.school,
                course=data["course"],
                completed_on=data["completed_on"],
                provider=data["provider"],
                certificate=data["certificate"],
            ),
            "Record added. It counts once the online safety lead, the DSL or the head has "
            "checked it.",
        ):
            return redirect("training:mine", access.school.code)
    return render(request, "training/record_form.html", ctx(access, form=form))


@school_view(*TRAINEE_ROLES)
def record_detail(request: HttpRequest, access: SchoolAccess, record: UUID) -> HttpResponse:
    found = _record(access, record)
    return render(
        request,
        "training/record_detail.html",
        ctx(
            access,
            record=found,
            may_verify=_may_check(access, found),
            reject_form=RejectForm(),
        ),
    )


@school_view(*VERIFIER_ROLES)
def record_verify(request: HttpRequest, access: SchoolAccess, record: UUID) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    found = _record(access, record)
    run_service(
        request,
        lambda: services.record_verify(actor=request.user, record=found),
        "Record verified: it counts in the matrix now.",
    )
    if request.POST.get("next") == "queue":
        return redirect("training:to_verify", access.school.code)
    return redirect("training:record_detail", access.school.code, found.code)


@school_view(*VERIFIER_ROLES)
def record_reject(request: HttpRequest, access: SchoolAccess, record: UUID) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    found = _record(access, record)
    form = RejectForm(request.POST)
    if form.is_valid() and submit_form(
        request,
        form,
        lambda: services.record_reject(
            actor=request.user, record=found, reason=form.cleaned_data["reason"]
        ),
        "Record not accepted: its owner has been told why.",
    ):
        return redirect("training:to_verify", access.school.code)
    return render(
        request,
        "training/record_detail.html",
        ctx(access, record=found, may_verify=_may_check(access, found), reject_form=form),
        status=400,
    )


@school_view(*TRAINEE_ROLES)
def certificate(request: HttpRequest, access: SchoolAccess, record: UUID) -> FileResponse:
    found = _record(access, record)
    if not found.certificate:
        raise Http404("No certificate")
    services.certificate_read(actor=request.user, record=found)
    extension = found.certificate.name.rsplit(".", 1)[-1]
    response = FileResponse(
        found.certificate.open("rb"),
        content_type=found.certificate_type,
        # A name of our own, not the uploaded one.
        filename=f"certificate-{found.code}.{extension}",
        as_attachment=found.certificate_type == "application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@school_view(*VERIFIER_ROLES)
def to_verify(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    records, total = selectors.unverified(access)
    return render(request, "training/to_verify.html", ctx(access, records=records, total=total))
