"""The reporter's side: any member of staff logs a concern, then follows its status."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import STAFF_ROLES
from esafety.people.navigation import nav_for
from incidents import routing, selectors, services
from incidents.categories import CATEGORIES, Route
from incidents.evidence import EvidenceRefused, MemoryOnlyUploadHandler
from incidents.forms.log import ConcernForm, InformationForm, guidance
from incidents.models import Concern, PupilRole, Status

# Anyone employed by the school logs concerns; governors and parents do not.
STAFF = tuple(sorted(STAFF_ROLES))
# Fewer letters than this match half the school: ask for more before listing children.
SEARCH_MIN_LENGTH = 2
# The reporter's page, reached from the form just sent, says the concern is logged.
JUST_LOGGED = "logged"


def _search(access: SchoolAccess, query: str) -> list:
    query = query.strip()[:100]
    if len(query) < SEARCH_MIN_LENGTH:
        return []
    return selectors.pupils_matching(school=access.school, query=query)


def _form_page(
    request: HttpRequest, access: SchoolAccess, form: ConcernForm, searched: bool = False
) -> HttpResponse:
    chosen = form.chosen_pupils()
    query = (form["pupil_query"].value() or "").strip()
    chosen_codes = {p.code for p, _ in chosen}
    results = [p for p in _search(access, query) if p.code not in chosen_codes] if searched else []
    category = form["category"].value()
    refused = category in CATEGORIES and not CATEGORIES[category].allows_attachments
    return render(
        request,
        "incidents/concern_new.html",
        {
            "access": access,
            "nav": nav_for(access),
            "form": form,
            "staff_checkboxes": form.staff_checkboxes(),
            "guidance": guidance(),
            "chosen": chosen,
            "results": results,
            "searched": searched,
            "query": query,
            "roles": PupilRole.choices,
            "immediate_risk": form.immediate_risk_ticked(),
            "refused": CATEGORIES[category].attachments_refused_because if refused else "",
            "search_min_length": SEARCH_MIN_LENGTH,
        },
    )


# The CSRF check reads the form, so it waits until the upload handler is in place: checked by
# csrf_protect inside, not by the middleware before the view (Django's "modifying upload
# handlers on the fly"). Anyone who is not staff of the school is turned away before either.
@csrf_exempt
@school_view(*STAFF)
def concern_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    # No byte of a file sent with a concern reaches a disk before the category is known: for
    # the image categories, none ever does (incidents.evidence.MemoryOnlyUploadHandler).
    request.upload_handlers = [MemoryOnlyUploadHandler(request)]
    return _concern_new(request, access)


@csrf_protect
def _concern_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    people = {"school": access.school, "reporter": request.user}
    if request.method == "POST" and "find" in request.POST:
        # Without JavaScript the pupil search posts the whole form: show it again as it was,
        # with the pupils found, and save nothing.
        return _form_page(request, access, ConcernForm.redisplay(request.POST, **people), True)
    form = ConcernForm(request.POST or None, request.FILES or None, **people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concern = services.concern_log(
                actor=request.user,
                school=access.school,
                category=data["category"],
                occurred_at=data["occurred_at"],
                location=data["location"],
                what_happened=data["what_happened"],
                pupils=form.involved,
                staff=list(data["staff"]),
                immediate_risk=data["immediate_risk"],
                told_dsl_in_person=data["told_dsl_in_person"],
                files=data["files"],
            )
        except EvidenceRefused as e:
            # Nothing was saved; everything else the person typed is shown again.
            form.add_error("files", str(e))
        except ValidationError as e:
            form.add_error(None, e)
        else:
            # The confirmation is said by the page the reporter lands on, asked for in its
            # address: a flash message would write the session, one more transaction for every
            # concern logged. The address says only that this concern, whose code it already
            # carries, was just logged.
            url = reverse("incidents:my_concern", args=[access.school.code, concern.code])
            return redirect(f"{url}?{JUST_LOGGED}=1")
    return _form_page(request, access, form)


# A POST, so a child's name is never in a URL, and so never in a server's access log, a
# browser's history or a Referer header.
@school_view(*STAFF)
@require_POST
def pupil_search(request: HttpRequest, access: SchoolAccess) -> JsonResponse:
    pupils = _search(access, request.POST.get("q", ""))
    response = JsonResponse(
        {
            "pupils": [
                {
                    "code": str(p.code),
                    "name": f"{p.first_name} {p.last_name}",
                    "year": p.year_group,
                    "class": p.school_class.name if p.school_class else "",
                }
                for p in pupils
            ]
        }
    )
    # Children's names: never kept by a browser or a proxy.
    response["Cache-Control"] = "private, no-store"
    return response


@school_view(*STAFF)
def concern_mine(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    page = Paginator(selectors.concerns_reported_by(access), 50).get_page(request.GET.get("page"))
    services.concerns_record_read(
        actor=request.user,
        school=access.school,
        codes=[c.code for c in page],
        what="concern_status",
    )
    return render(
        request,
        "incidents/my_concern_list.html",
        {"access": access, "nav": nav_for(access), "page": page},
    )


def what_happens_next(concern: Concern) -> list[str]:
    """What the reporter can expect now, in words; never what the DSL has written."""
    school = concern.school
    if concern.status == Status.CLOSED:
        return ["This concern has been closed. If something new happens, log a new concern."]
    if concern.status != Status.REPORTED:
        return [
            "It has been acknowledged and is being dealt with. Safeguarding records are shared "
            "only with those who need to know, so you will not see the notes or actions.",
            "If you learn anything more, add it below. If it is urgent, tell the DSL in person "
            "too.",
        ]
    minutes = (
        school.immediate_risk_escalation_minutes
        if concern.immediate_risk
        else school.escalation_minutes
    )
    who = {
        Route.DSL: "The designated safeguarding lead (DSL) and the deputies have been alerted.",
        Route.ONLINE_SAFETY_LEAD: "The online safety lead has been alerted, and the DSL informed.",
        Route.HEAD: "The headteacher has been alerted (the chair of governors, if it concerns "
        "the headteacher). Do not discuss it with the member of staff concerned.",
    }[concern.route]
    if routing.also_told_at_once(concern):
        who += (
            " So has the headteacher (the chair of governors, if it concerns the headteacher), "
            "because a member of staff is involved. Do not discuss it with them."
        )
    return [
        who,
        f"If nobody acknowledges it within {minutes} minutes, the alert goes to the next people "
        "on the school's list.",
        "You can come back here to see its status, and add anything you learn.",
    ]


def _reported_or_404(access: SchoolAccess, code: UUID) -> Concern:
    concern = selectors.reported_concern(access, code)
    if concern is None:
        # Someone else's concern, or none at all: the same answer.
        raise Http404("No such concern")
    return concern


def _my_concern_page(
    request: HttpRequest, access: SchoolAccess, concern: Concern, form: InformationForm
) -> HttpResponse:
    """The reporter's page: reference, category, when, status and what happens next. Never
    what they wrote, the pupils or the staff they named, nor the DSL's work: the record is for
    those who need to know, and a screen left open in a staff room is not one of them."""
    services.concern_record_read(actor=request.user, concern=concern, what="concern_status")
    info = CATEGORIES[concern.category]
    return render(
        request,
        "incidents/my_concern_detail.html",
        {
            "access": access,
            "nav": nav_for(access),
            "concern": concern,
            "info": info,
            "next": what_happens_next(concern),
            # Who should have been told in person at once, and has not been.
            "tell_dsl": info.child_protection and not concern.told_dsl_in_person,
            "form": form,
        },
    )


@school_view(*STAFF)
def my_concern(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    concern = _reported_or_404(access, code)
    if request.GET.get(JUST_LOGGED) == "1":
        # Shown by this very response, so never stored in the session.
        messages.success(
            request, f"Concern {concern.reference} is logged. Thank you for reporting it."
        )
    return _my_concern_page(request, access, concern, InformationForm())


@school_view(*STAFF)
@require_POST
def my_concern_add(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    concern = _reported_or_404(access, code)
    form = InformationForm(request.POST)
    if form.is_valid():
        try:
            services.concern_add_information(
                actor=request.user, concern=concern, text=form.cleaned_data["text"]
            )
        except services.ConcernError as e:
            form.add_error("text", str(e))
        else:
            messages.success(
                request,
                f"Thank you: what you added to {concern.reference} is with the DSL. It is not "
                "shown here again.",
            )
            return redirect("incidents:my_concern", school=access.school.code, code=concern.code)
    return _my_concern_page(request, access, concern, form)
