"""Engagement events (pupil lessons, parents' evenings, staff briefings) and training held in
school with its attendance."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from esafety.actions import submit_form
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import STAFF_ROLES, Membership, Role, User
from esafety.people.selectors import year_groups_on_roll
from training.forms.records import EventForm, SessionForm
from training.selectors.engagement import (
    EVENTS_SHOWN,
    engagement_status,
    events_for,
    sessions_for,
)
from training.selectors.matrix import courses_in_use
from training.services import events as event_services
from training.services import records as record_services
from training.views.common import VERIFIER_ROLES, ctx


@school_view(*VERIFIER_ROLES)
def engagement(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    events = events_for(school=access.school)
    sessions = sessions_for(school=access.school)
    return render(
        request,
        "training/engagement.html",
        ctx(
            access,
            status=engagement_status(school=access.school, today=timezone.localdate()),
            events=list(events[:EVENTS_SHOWN]),
            events_total=events.count(),
            sessions=list(sessions[:EVENTS_SHOWN]),
            shown=EVENTS_SHOWN,
        ),
    )


@school_view(*VERIFIER_ROLES)
def event_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = EventForm(request.POST or None, year_groups=year_groups_on_roll(access.school))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit_form(
            request,
            form,
            lambda: event_services.event_record(actor=request.user, school=access.school, **data),
            "Event recorded.",
        ):
            return redirect("training:engagement", access.school.code)
    return render(request, "training/event_form.html", ctx(access, form=form))


def _trainees(access: SchoolAccess):
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(
            school=access.school, is_active=True, role__in=[*STAFF_ROLES, Role.GOVERNOR]
        ).values("user_id"),
    ).order_by("full_name", "email")


@school_view(*VERIFIER_ROLES)
def session_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = SessionForm(
        request.POST or None,
        courses=courses_in_use(school=access.school),
        people=_trainees(access),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit_form(
            request,
            form,
            lambda: record_services.session_record(
                actor=request.user,
                school=access.school,
                course=data["course"],
                held_on=data["held_on"],
                presenter=data["presenter"],
                attendees=list(data["attendees"]),
            ),
            "Training recorded: everyone ticked has a record of it.",
        ):
            return redirect("training:engagement", access.school.code)
    return render(request, "training/session_form.html", ctx(access, form=form))
