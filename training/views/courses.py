"""The course catalogue and the training settings (the online safety lead and the head)."""

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from esafety.actions import submit_form
from esafety.contributions import accepted_documents
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import Membership, Role, User
from training.forms.courses import CourseForm, SettingsForm
from training.models import Course
from training.services import courses as services
from training.services.common import settings_for
from training.views.common import KEEPER_ROLES, ctx

FIELDS = (
    "title",
    "kind",
    "validity",
    "months",
    "within_days",
    "due_month",
    "due_day",
    "required_for",
    "is_active",
)


def _course(access: SchoolAccess, code: UUID) -> Course:
    course = Course.objects.filter(school=access.school, code=code).first()
    if course is None:
        raise Http404("No such course")
    return course


@school_view(*KEEPER_ROLES)
def courses(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    settings = settings_for(school=access.school)
    return render(
        request,
        "training/courses.html",
        ctx(
            access,
            courses=list(Course.objects.filter(school=access.school)),
            settings=settings,
        ),
    )


@school_view(*KEEPER_ROLES)
def course_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in FIELDS}
        if submit_form(
            request,
            form,
            lambda: services.course_create(actor=request.user, school=access.school, **data),
            "Course added.",
        ):
            return redirect("training:courses", access.school.code)
    return render(request, "training/course_form.html", ctx(access, form=form, course=None))


@school_view(*KEEPER_ROLES)
def course_edit(request: HttpRequest, access: SchoolAccess, course: UUID) -> HttpResponse:
    found = _course(access, course)
    initial = {k: getattr(found, k) for k in FIELDS}
    form = CourseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in FIELDS}
        if submit_form(
            request,
            form,
            lambda: services.course_update(actor=request.user, course=found, **data),
            "Course saved.",
        ):
            return redirect("training:courses", access.school.code)
    return render(request, "training/course_form.html", ctx(access, form=form, course=found))


@school_view(*KEEPER_ROLES)
def settings(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    current = settings_for(school=access.school)
    governors = User.objects.filter(
        pk__in=Membership.objects.filter(
            school=access.school, role=Role.GOVERNOR, is_active=True
        ).values("user_id")
    ).order_by("full_name")
    documents = [d for d in accepted_documents(school=access.school) if "staff" in d.audiences]
    form = SettingsForm(
        request.POST or None,
        governors=governors,
        documents=documents,
        initial={
            "expiring_days": current.expiring_days,
            "safeguarding_governor": current.safeguarding_governor_id,
            "read_and_sign": current.read_and_sign,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit_form(
            request,
            form,
            lambda: services.settings_update(
                actor=request.user,
                school=access.school,
                expiring_days=data["expiring_days"],
                safeguarding_governor=data["safeguarding_governor"],
                read_and_sign=data["read_and_sign"],
            ),
            "Training settings saved.",
        ):
            return redirect("training:courses", access.school.code)
    return render(request, "training/settings_form.html", ctx(access, form=form))
