"""Working a concern: the detail page, its actions, closing, evidence and the pupil chronology.

Every view finds the concern through `selectors.concerns_for`, so a concern the member may not
see (another school's, an allegation about themselves, a category outside their remit) is a 404
exactly like one that does not exist. Every read is audited.
"""

import functools
from collections import defaultdict
from collections.abc import Callable
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from esafety import contributions
from esafety.actions import run_service
from esafety.formats import date_text
from esafety.people import selectors as people_selectors
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import Role
from esafety.people.navigation import nav_for
from incidents import procedure, selectors, services
from incidents.categories import KEPT_BY, NUDES_QUESTIONS, Category, info
from incidents.forms.work import (
    CloseForm,
    CorrectionForm,
    NoteForm,
    NudesAnswerForm,
    NudesDecisionForm,
    ReferralForm,
    ReopenForm,
    ReviewMeetingForm,
    StatusForm,
    StepForm,
)
from incidents.models import Concern, Status, StepState

# The chair of governors is a governor: let governors through school_view, then refuse every
# governor who is not the chair (can_work_concerns) before anything else happens.
WORKERS = (Role.DSL, Role.DEPUTY_DSL, Role.HEAD, Role.ONLINE_SAFETY_LEAD, Role.GOVERNOR)
CHRONOLOGY_ROLES = (Role.DSL, Role.DEPUTY_DSL, Role.HEAD)


def concern_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @school_view(*WORKERS)
    @functools.wraps(view)
    def wrapper(request: HttpRequest, access: SchoolAccess, *args, **kwargs) -> HttpResponse:
        if not selectors.can_work_concerns(access):
            raise PermissionDenied
        return view(request, access, *args, **kwargs)

    return wrapper


def _concern(access: SchoolAccess, code: UUID) -> Concern:
    concern = selectors.concerns_for(access).select_related("school").filter(code=code).first()
    if concern is None:
        raise Http404("No such concern")
    return concern


def _detail_url(concern: Concern, anchor: str = "") -> str:
    url = reverse("incidents:detail", args=[concern.school.code, concern.code])
    return f"{url}#{anchor}" if anchor else url


# The detail page.


def _step_form(step, data=None) -> StepForm:
    return StepForm(data, prefix=f"step-{step.key}")


def _referral_form(concern: Concern, data=None) -> ReferralForm:
    return ReferralForm(
        data, prefix="ref", child_protection=info(concern.category).child_protection
    )


def _correction_form(entry, data=None) -> CorrectionForm:
    return CorrectionForm(data, prefix=CorrectionForm.prefix_for(entry.code))


def _nudes(review: procedure.NudesReview, bound: dict) -> dict:
    """The sharing-nudes review (procedure.nudes_review: the same state closing reads) and the
    form for its next step."""
    state: dict = {"review": review}
    if review.meeting is None:
        state["meeting_form"] = bound.get("meeting") or ReviewMeetingForm(prefix="meeting")
        return state
    upcoming = review.next_question
    if upcoming is not None:
        key, text = upcoming
        number = len(review.answered) + 1
        form = bound.get("question") or NudesAnswerForm(
            prefix="question", initial={"question": key}
        )
        form.fields["answer"].label = f"Question {number} of {len(NUDES_QUESTIONS)}: {text}"
        state["question_form"] = form
        return state
    if review.all_no and not review.decided:
        state["decision_form"] = bound.get("decision") or NudesDecisionForm(prefix="decision")
    return state


def _timeline_row(entry, corrections: list, correcting: tuple | None) -> dict:
    # What each entry shows, worked out here once rather than by the template's lookups and
    # filters: a timeline grows with the concern.
    at = timezone.localtime(entry.at)
    corrects = entry.corrects
    return {
        "entry": entry,
        "at": date_text(at, "j M Y, H:i"),
        "iso": at.isoformat(),
        "kind": entry.get_kind_display(),
        "author": (entry.author.get_full_name() if entry.author else "") or "esafety",
        "corrects_at": date_text(timezone.localtime(corrects.at), "j M Y, H:i") if corrects else "",
        "corrections": corrections,
        # Only a correction that did not validate has a form here: every other entry's is drawn
        # from one blank form by the template (concerns.correction_fields).
        "form": correcting[1] if correcting and correcting[0] == entry.pk else None,
    }


def _render_detail(
    request: HttpRequest, access: SchoolAccess, code: UUID, bound: dict | None = None
) -> HttpResponse:
    bound = bound or {}
    concern = selectors.concern_detail(access, code)
    if concern is None:
        raise Http404("No such concern")
    services.concern_record_read(actor=request.user, concern=concern)
    entries = list(concern.entries.all())
    corrections = defaultdict(list)
    for entry in entries:
        if entry.corrects_id:
            corrections[entry.corrects_id].append(entry)
    correcting = bound.get("correct")
    rows = [_timeline_row(e, corrections.get(e.pk, []), correcting) for e in entries]
    stepping = bound.get("step")
    entry_codes = {e.pk: e.code for e in entries}
    steps = [
        {
            "step": s,
            # A step that a record does is never ticked by hand: the page says which record.
            "kept_by": KEPT_BY.get(s.key),
            "form": (stepping[1] if stepping and stepping[0] == s.pk else _step_form(s))
            if s.state == StepState.OPEN and s.key not in KEPT_BY
            else None,
            "entry_code": entry_codes.get(s.entry_id),
        }
        for s in concern.steps.all()
    ]
    closed = concern.status == Status.CLOSED
    review = procedure.nudes_review(concern) if concern.category == Category.NUDES else None
    ctx = {
        "access": access,
        "nav": nav_for(access),
        "concern": concern,
        "guidance": info(concern.category),
        "entries": rows,
        "steps": steps,
        # The same list the closing page shows, so "what is left" never differs between them.
        "missing": [] if closed else procedure.missing_for_close(concern, review),
        "pupil_links": list(concern.pupil_links.all()),
        # Other apps' sections about this concern (devices held as evidence, filtering
        # decisions it led to), each deciding for itself what this reader may see.
        "panels": contributions.panels("incidents:concern", access, concern),
        "can_see_chronology": access.has(*CHRONOLOGY_ROLES),
        "closed": closed,
        "status_form": None
        if closed or concern.status == Status.REPORTED
        else bound.get("status") or StatusForm(prefix="status", current=concern.status),
        "note_form": bound.get("note") or NoteForm(prefix="note"),
        "referral_form": None if closed else bound.get("referral") or _referral_form(concern),
        "reopen_form": bound.get("reopen") or ReopenForm(prefix="reopen") if closed else None,
        "nudes": _nudes(review, bound) if review is not None else None,
    }
    # A form that did not validate is shown again with its errors, as every form here is (200).
    return render(request, "incidents/concern_detail.html", ctx)


@concern_view
def detail(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    return _render_detail(request, access, code)


# The actions. Each is a POST that calls one service and goes back to the concern: a form that
# does not validate is shown again on the concern's page with its errors and what was typed; a
# refusal is a message on the page, because the form it came from is often no longer shown there
# (a status form once the concern is closed, the decision form once a question is answered yes).


def _invalid(request, access, concern, name: str, form: forms.Form, key=None) -> HttpResponse:
    return _render_detail(
        request, access, concern.code, {name: (key, form) if key is not None else form}
    )


@concern_view
@require_POST
def acknowledge(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    concern = _concern(access, code)
    run_service(
        request,
        lambda: services.concern_acknowledge(actor=request.user, concern=concern),
        f"{concern.reference} acknowledged.",
    )
    return redirect(_detail_url(concern))


@concern_view
@require_POST
def set_status(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    concern = _concern(access, code)
    form = StatusForm(request.POST, prefix="status", current=concern.status)
    if not form.is_valid():
        return _invalid(request, access, concern, "status", form)
    run_service(
        request,
        lambda: services.concern_set_status(
            actor=request.user, concern=concern, **form.cleaned_data
        ),
        "Status changed.",
    )
    return redirect(_detail_url(concern))


@concern_view
@require_POST
def add_note(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    concern = _concern(access, code)
    form = NoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return _invalid(request, access, concern, "note", form)
    run_service(
        request,
        lambda: services.concern_add_note(actor=request.user, concern=concern, **form.cleaned_data),
        "Added to the timeline.",
    )
    return redirect(_detail_url(concern, "h-timeline"))


@concern_view
@require_POST
def correct(request: HttpRequest, access: SchoolAccess, code: UUID, entry: UUID) -> HttpResponse:
    concern = _concern(access, code)
    corrected = selectors.entry_of(concern, entry)
    if corrected is None:
        raise Http404("No such entry")
    form = _correction_form(corrected, request.POST)
    if not form.is_valid():
        return _invalid(request, access, concern, "correct", form, corrected.pk)
    run_service(
        request,
        lambda: services.concern_correct(
            actor=request.user, concern=concern, entry=corrected, **form.cleaned_data
        ),
        "Correction added; the original entry is kept as it was.",
    )
    return redirect(_detail_url(concern, "h-timeline"))


@concern_view
@require_POST
def step(request: HttpRequest, access: SchoolAccess, code: UUID, step: str) -> HttpResponse:
    concern = _concern(access, code)
    found = selectors.step_of(concern, step)
    if found is None:
        raise Http404("No such step")
    form = _step_form(found, request.POST)
    if not form.is_valid():
        return _invalid(request, access, concern, "step", form, found.pk)
    run_service(
        request,
        lambda: services.step_complete(
            actor=request.user,
            concern=concern,
            step=found,
            done=form.done,
            note=form.cleaned_data["note"],
        ),
        f"Recorded: {found.label}.",
    )
    return redirect(_detail_url(concern, "h-steps"))


@concern_view
@require_POST
def referral(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    concern = _concern(access, code)
    form = _referral_form(concern, request.POST)
    if not form.is_valid():
        return _invalid(request, access, concern, "referral", form)
    data = form.cleaned_data
    run_service(
        request,
        lambda: services.referral_record(
            actor=request.user,
            concern=concern,
            referred=form.referred,
            agency=data["agency"],
            referred_on=data["referred_on"],
            reference=data["reference"],
            reasons=data["reasons"],
        ),
        "Referral recorded." if form.referred else "Decision not to refer recorded.",
    )
    return redirect(_detail_url(concern, "h-referrals"))


@concern_view
@require_POST
def review_meeting(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    concern = _concern(access, code)
    form = ReviewMeetingForm(request.POST, prefix="meeting")
    if not form.is_valid():
        return _invalid(request, access, concern, "meeting", form)
    run_service(
        request,
        lambda: services.review_meeting_record(
            actor=request.user, concern=concern, **form.cleaned_data
        ),
        "Initial review meeting recorded. Now answer the five questions.",
    )
    return redirect(_detail_url(concern, "h-nudes"))


@concern_view
@require_POST
def nudes_answer(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    concern = _concern(access, code)
    form = NudesAnswerForm(request.POST, prefix="question")
    if not form.is_valid():
        return _invalid(request, access, concern, "question", form)
    run_service(
        request,
        lambda: services.nudes_answer(
            actor=request.user,
            concern=concern,
            question=form.cleaned_data["question"],
            answer=form.yes,
            note=form.cleaned_data["note"],
        ),
        "Answer recorded.",
    )
    return redirect(_detail_url(concern, "h-nudes"))


@concern_view
@require_POST
def nudes_decision(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    """All five answers were no: the decision to handle it in school, kept with its reasons."""
    concern = _concern(access, code)
    form = NudesDecisionForm(request.POST, prefix="decision")
    if not form.is_valid():
        return _invalid(request, access, concern, "decision", form)
    run_service(
        request,
        lambda: services.nudes_decision_record(
            actor=request.user, concern=concern, **form.cleaned_data
        ),
        "Decision to handle it in school recorded.",
    )
    return redirect(_detail_url(concern, "h-nudes"))


@concern_view
@require_POST
def reopen(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    concern = _concern(access, code)
    form = ReopenForm(request.POST, prefix="reopen")
    if not form.is_valid():
        return _invalid(request, access, concern, "reopen", form)
    run_service(
        request,
        lambda: services.concern_reopen(actor=request.user, concern=concern, **form.cleaned_data),
        f"{concern.reference} reopened.",
    )
    return redirect(_detail_url(concern))


@concern_view
def close(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    concern = _concern(access, code)
    form = CloseForm(request.POST or None)
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.concern_close(
                actor=request.user,
                concern=concern,
                outcome=data["outcome"],
                lessons_learnt=data["lessons_learnt"],
                parents_informed=form.parents,
                parents_not_informed_reason=data["parents_not_informed_reason"],
            )
        except services.ConcernError as e:
            # The first line says it cannot close; each line after it is one thing missing.
            lines = str(e).splitlines()
            refused = lines[1:] or lines
        else:
            messages.success(request, f"{concern.reference} closed.")
            return redirect(_detail_url(concern))
    # This page shows the procedure's state: a read of the concern like any other.
    services.concern_record_read(actor=request.user, concern=concern)
    return render(
        request,
        "incidents/concern_close.html",
        {
            "access": access,
            "nav": nav_for(access),
            "concern": concern,
            "form": form,
            "missing": procedure.missing_for_close(concern),
            "refused": refused,
        },
    )


@concern_view
def attachment(request: HttpRequest, access: SchoolAccess, code: UUID, attachment: UUID):
    concern = _concern(access, code)
    found = selectors.attachment_of(concern, attachment)
    if found is None:
        raise Http404("No such attachment")
    services.concern_record_read(actor=request.user, concern=concern, what="attachment")
    extension = found.file.name.rsplit(".", 1)[-1]
    is_pdf = found.content_type == "application/pdf"
    response = FileResponse(
        found.file.open("rb"),
        content_type=found.content_type,
        # A name of our own: the uploaded name may carry a child's name.
        filename=f"{concern.reference}-evidence.{extension}",
        as_attachment=is_pdf,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Never kept by a shared computer's cache or a proxy.
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


# The pupil chronology.


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


@school_view(*CHRONOLOGY_ROLES)
def chronology(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    pupil = get_object_or_404(
        people_selectors.pupils_for_school(school=access.school, on_roll=False), code=code
    )
    links, older_concerns = selectors.pupil_concern_links(access, pupil)
    page = selectors.chronology(
        access,
        pupil,
        before=_uuid(request.GET.get("before")),
        after=_uuid(request.GET.get("after")),
    )
    services.concerns_record_read(
        actor=request.user,
        school=access.school,
        codes=[link.concern.code for link in links],
        what="chronology",
    )
    return render(
        request,
        "incidents/chronology.html",
        {
            "access": access,
            "nav": nav_for(access),
            "pupil": pupil,
            "links": links,
            "older_concerns": older_concerns,
            "entries": page.entries,
            "earlier": page.earlier,
            "later": page.later,
        },
    )
