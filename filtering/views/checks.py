"""Checks that filtering works, and the task a failed one opens until it is resolved."""

from uuid import UUID

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from esafety.actions import submit_form
from esafety.people.access import SchoolAccess, school_view
from filtering.forms import CheckForm, ResolveForm
from filtering.models import CheckCategory
from filtering.selectors import evidence as selectors
from filtering.selectors import status
from filtering.services import checks as services
from filtering.views.common import KEEPERS, READERS, ctx, form_page


@school_view(*READERS)
def checks(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "filtering/check_list.html",
        ctx(
            access,
            page=Paginator(selectors.checks(school=access.school), selectors.LIST_LIMIT).get_page(
                request.GET.get("page")
            ),
            coverage=status.coverage(school=access.school, today=today),
            tasks=selectors.open_tasks(school=access.school),
        ),
    )


@school_view(*KEEPERS)
def check_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = CheckForm(request.POST or None, initial={"tested_on": timezone.localdate()})
    made = {}

    def do() -> None:
        data = dict(form.cleaned_data)
        made["check"] = services.check_record(
            school=access.school,
            actor=request.user,
            device_type=data["device_type"],
            user_group=data["user_group"],
            site=data["site"],
            tool=data["tool"],
            tested_on=data["tested_on"],
            results=[services.Result(*r) for r in form.results()],
        )

    return form_page(
        request,
        access,
        form=form,
        do=do,
        done="The check was recorded.",
        then=lambda: reverse(
            "filtering:check_detail", args=[access.school.code, made["check"].code]
        ),
        template="filtering/check_form.html",
        categories=[(form[value], form[f"{value}_action"]) for value in CheckCategory.values],
    )


def _check(access: SchoolAccess, code: UUID):
    found = selectors.check_for(school=access.school, code=code)
    if found is None:
        raise Http404("No such check")
    return found


def _detail(request, access, found, form=None) -> HttpResponse:
    task = getattr(found, "task", None)
    return render(
        request,
        "filtering/check_detail.html",
        ctx(
            access,
            check=found,
            results=list(found.results.all()),
            task=task,
            form=form or ResolveForm(),
        ),
    )


@school_view(*READERS)
def check_detail(request: HttpRequest, access: SchoolAccess, check: UUID) -> HttpResponse:
    return _detail(request, access, _check(access, check))


@school_view(*KEEPERS)
@require_POST
def task_resolve(request: HttpRequest, access: SchoolAccess, check: UUID) -> HttpResponse:
    found = _check(access, check)
    task = getattr(found, "task", None)
    if task is None:
        raise Http404("This check passed: it has no task")
    form = ResolveForm(request.POST)
    if form.is_valid() and submit_form(
        request,
        form,
        lambda: services.task_resolve(task=task, actor=request.user, **form.cleaned_data),
        "The failed check is resolved.",
    ):
        return redirect("filtering:check_detail", access.school.code, found.code)
    return _detail(request, access, found, form)
