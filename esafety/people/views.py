from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from esafety.actions import run_service
from esafety.contributions import home_cards, pupil_links
from esafety.csv_export import csv_download
from esafety.people import selectors, services
from esafety.people.access import SchoolAccess, memberships_of, roles_label, school_view
from esafety.people.forms import (
    AcceptInvitationForm,
    ClassTeacherForm,
    InvitationForm,
    PupilSearchForm,
    RosterUploadForm,
)
from esafety.people.models import Role
from esafety.people.navigation import nav_for
from esafety.people.roster.columns import COLUMNS
from esafety.people.roster.problems import roster_problem_count, roster_problems
from esafety.people.roster.services import roster_import_start, roster_problems_exported


@login_required
def home(request: HttpRequest) -> HttpResponse:
    schools = {m.school.code: m.school for m in memberships_of(request.user)}
    if len(schools) == 1:
        return redirect("people:school_home", school=next(iter(schools)))
    return render(request, "people/home.html", {"schools": list(schools.values())})


@school_view()
def school_home(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    ctx = {
        "access": access,
        "nav": nav_for(access),
        "roles_label": roles_label(access.roles),
        "cards": home_cards(access),
    }
    if access.has(Role.PARENT):
        ctx["children"] = list(selectors.children_of(user=request.user, school=access.school))
    return render(request, "people/school_home.html", ctx)


@school_view(Role.OFFICE, Role.HEAD, Role.DSL, Role.DEPUTY_DSL)
def pupil_list(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = PupilSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.pupils_for_school(school=access.school, query=query), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/pupil_list.html",
        {
            "access": access,
            "nav": nav_for(access),
            "form": form,
            "page": page,
            "query": query,
            "pupil_links": pupil_links(access),
            # For the page links: the search, escaped, so "Smith & Co" stays one search.
            "page_query": urlencode({"q": query}) if query else "",
        },
    )


# The office invites staff and parents; only the head invites anyone else (the privileged
# roles, governors, and more office staff, who see every pupil's safeguarding flags).
OFFICE_MAY_INVITE = [Role.STAFF, Role.PARENT]


def _invitable_roles(access: SchoolAccess) -> list[str]:
    return list(Role.values) if access.has(Role.HEAD) else OFFICE_MAY_INVITE


@school_view(Role.OFFICE, Role.HEAD)
def invitation_list(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    roles = _invitable_roles(access)
    form = InvitationForm(request.POST or None, allowed_roles=roles)
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            actor=request.user,
            school=access.school,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
        return redirect("people:invitation_list", school=access.school.code)
    page = Paginator(selectors.invitations_for_school(school=access.school), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/invitation_list.html",
        {"access": access, "nav": nav_for(access), "form": form, "page": page},
    )


# Access first, then the method: an outsider gets 404 and a wrong role 403 whatever they send.
@school_view(Role.OFFICE, Role.HEAD)
@require_POST
def invitation_revoke(request: HttpRequest, access: SchoolAccess, code) -> HttpResponse:
    invitation = get_object_or_404(
        selectors.invitations_for_school(school=access.school), code=code
    )
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect("people:invitation_list", school=access.school.code)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None or not invitation.is_open:
        return render(request, "people/invitation_closed.html", status=404)
    user = request.user if request.user.is_authenticated else None
    if user is None and services.account_exists(invitation.email):
        # The person already has an account (another school, another role): sign in first.
        messages.info(request, "You already have an account. Sign in to accept the invitation.")
        return redirect_to_login(request.path)
    # Someone else is signed in on this computer: the invitation is not theirs to accept.
    wrong_account = user is not None and user.email.lower() != invitation.email
    form = None if user else AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and not wrong_account and (form is None or form.is_valid()):
        try:
            accepted_by = services.invitation_accept(
                invitation=invitation,
                user=user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except services.InvitationError as e:
            messages.error(request, str(e))
            return redirect(request.path)
        if user is None:
            login(request, accepted_by, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to esafety at {invitation.school.name}.")
        return redirect("people:school_home", school=invitation.school.code)
    return render(
        request,
        "people/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "signed_in_user": user,
            "wrong_account": wrong_account,
        },
    )


# Class teachers: the roster does not name them, so the office or the head does. The class
# teacher is who records the class's in-class AUP sign-off.


@school_view(Role.OFFICE, Role.HEAD)
def class_teachers(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    classes = list(selectors.school_classes(school=access.school))
    teachers = list(selectors.active_staff(school=access.school))
    if request.method == "POST":
        form = ClassTeacherForm(request.POST, teachers=teachers)
        if form.is_valid():
            code = form.cleaned_data["school_class"]
            school_class = next((c for c in classes if c.code == code), None)
            if school_class is None:
                raise Http404("No such class")
            chosen = form.cleaned_data["teacher"]
            teacher = next((t for t in teachers if str(t.code) == chosen), None)
            who = teacher.full_name or teacher.email if teacher else "nobody"
            run_service(
                request,
                lambda: services.school_class_set_teacher(
                    actor=request.user, school_class=school_class, teacher=teacher
                ),
                f"{school_class.name}: class teacher is now {who}.",
            )
        else:
            messages.error(request, "Choose a member of staff from the list.")
        return redirect("people:class_teachers", school=access.school.code)
    rows = []
    for school_class in classes:
        form = ClassTeacherForm(
            initial={
                "school_class": school_class.code,
                "teacher": str(school_class.teacher.code) if school_class.teacher else "",
            },
            teachers=teachers,
            auto_id=f"class-{school_class.code.hex}-%s",
        )
        form.fields["teacher"].label = f"Class teacher of {school_class.name}"
        rows.append((school_class, form))
    return render(
        request,
        "people/class_teachers.html",
        {"access": access, "nav": nav_for(access), "rows": rows},
    )


# The roster import: the office uploads the MIS's export, a worker checks and applies it.


@school_view(Role.OFFICE, Role.HEAD)
def roster_list(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        roster_import = roster_import_start(
            actor=request.user, school=access.school, upload=form.cleaned_data["file"]
        )
        return redirect("people:roster_detail", school=access.school.code, code=roster_import.code)
    imports = selectors.roster_imports_for_school(school=access.school)[:20]
    return render(
        request,
        "people/roster_list.html",
        {
            "access": access,
            "nav": nav_for(access),
            "form": form,
            "imports": imports,
            "columns": COLUMNS,
        },
    )


@school_view(Role.OFFICE, Role.HEAD)
def roster_detail(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    roster_import = get_object_or_404(
        selectors.roster_imports_for_school(school=access.school), code=code
    )
    problem_count = roster_problem_count(roster_import)
    return render(
        request,
        "people/roster_detail.html",
        {
            "access": access,
            "nav": nav_for(access),
            "roster_import": roster_import,
            # The page lists the first problems only, so its size never grows with the file.
            "problem_count": problem_count,
            "more_problems": problem_count - len(roster_import.errors),
        },
    )


@school_view(Role.OFFICE, Role.HEAD)
def roster_problems_csv(
    request: HttpRequest, access: SchoolAccess, code: UUID
) -> StreamingHttpResponse:
    roster_import = get_object_or_404(
        selectors.roster_imports_for_school(school=access.school), code=code
    )
    roster_problems_exported(actor=request.user, roster_import=roster_import)

    def rows():
        yield ["Line", "Problem"]
        for problem in roster_problems(roster_import):
            yield [problem["line"] or "", problem["message"]]

    day = timezone.localdate(roster_import.created_at)
    return csv_download(rows(), filename=f"roster-problems-{day:%Y-%m-%d}.csv")


@school_view(Role.OFFICE, Role.HEAD)
def roster_progress(request: HttpRequest, access: SchoolAccess, code: UUID) -> HttpResponse:
    r = get_object_or_404(selectors.roster_imports_for_school(school=access.school), code=code)
    # What the page's status line says (static/js/progress.js shows it as it is), the same
    # words as templates/people/roster_detail.html.
    detail = ""
    if r.status == r.Status.CHECKING and r.total_rows:
        detail = f": {r.processed_rows} of {r.total_rows} rows checked"
    elif r.status == r.Status.IMPORTING:
        detail = f": {r.total_rows} rows"
    return JsonResponse(
        {
            "status": r.status,
            "status_text": f"{r.get_status_display()}{detail}…",
            "status_label": r.get_status_display(),
            "percent": r.percent,
            "processed_rows": r.processed_rows,
            "total_rows": r.total_rows,
            "finished": r.status in (r.Status.DONE, r.Status.FAILED),
        }
    )
