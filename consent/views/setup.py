"""The school's purposes, consent form and settings (the office and the head)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from consent import selectors
from consent.forms import FormVersionForm, PurposeForm, SettingsForm
from consent.services.setup import (
    form_version_publish,
    purpose_create,
    purpose_update,
    settings_update,
)
from consent.views.common import OFFICE_AND_HEAD, page, ready
from esafety.actions import submit_form
from esafety.people.access import SchoolAccess, school_view


@school_view(*OFFICE_AND_HEAD)
def purposes(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    ready(access)
    settings = selectors.settings_of(school=access.school)
    which = request.POST.get("form") if request.method == "POST" else ""
    settings_form = SettingsForm(
        request.POST if which == "settings" else None,
        initial={
            "own_decision_age": settings.own_decision_age,
            "renew_each_year": settings.renew_each_year,
        },
    )
    text_form = FormVersionForm(request.POST if which == "text" else None)
    new_form = PurposeForm(request.POST if which == "purpose" else None)
    done = False
    if which == "settings" and settings_form.is_valid():
        done = submit_form(
            request,
            settings_form,
            lambda: settings_update(
                actor=request.user, school=access.school, **settings_form.cleaned_data
            ),
            "Settings saved.",
        )
    elif which == "text" and text_form.is_valid():
        done = submit_form(
            request,
            text_form,
            lambda: form_version_publish(
                actor=request.user, school=access.school, text=text_form.cleaned_data["text"]
            ),
            "The new consent form is published: new decisions are recorded against it.",
        )
    elif which == "purpose" and new_form.is_valid():
        data = {k: v for k, v in new_form.cleaned_data.items() if k != "is_active"}
        done = submit_form(
            request,
            new_form,
            lambda: purpose_create(actor=request.user, school=access.school, **data),
            "Purpose added.",
        )
    if done:
        return redirect("consent:purposes", school=access.school.code)
    return render(
        request,
        "consent/purposes.html",
        page(
            access,
            purposes=list(selectors.purposes_of(school=access.school, active=False)),
            settings_form=settings_form,
            text_form=text_form,
            new_form=new_form,
            consent_form=selectors.current_form(school=access.school),
        ),
    )


@school_view(*OFFICE_AND_HEAD)
def purpose_edit(request: HttpRequest, access: SchoolAccess, purpose: object) -> HttpResponse:
    row = selectors.purpose_of(school=access.school, code=purpose, active=False)
    if row is None:
        raise Http404("No such purpose")
    form = PurposeForm(request.POST or None, instance=None, initial=_initial(row))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit_form(
            request,
            form,
            lambda: purpose_update(actor=request.user, purpose=row, **form.cleaned_data),
            "Purpose saved.",
        )
    ):
        return redirect("consent:purposes", school=access.school.code)
    return render(request, "consent/purpose_edit.html", page(access, purpose=row, form=form))


def _initial(purpose) -> dict:
    return {name: getattr(purpose, name) for name in PurposeForm.Meta.fields}
