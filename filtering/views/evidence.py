"""The roles, the provision and the decision log, and the overview that starts from them."""

from uuid import UUID

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from esafety.actions import submit_form
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import Role
from filtering.forms import AppliedForm, DecisionForm, ProvisionForm, RoleForm, SettingsForm
from filtering.models import RoleKind
from filtering.selectors import evidence as selectors
from filtering.selectors import status
from filtering.services import decisions as decision_services
from filtering.services import provision as provision_services
from filtering.services import roles as role_services
from filtering.services import settings as settings_services
from filtering.services.common import current_roles
from filtering.services.roles import ELIGIBLE
from filtering.standards import ROLE_DUTIES
from filtering.views.common import GOVERNORS, KEEPERS, READERS, ctx, form_page


@school_view(*READERS)
def overview(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    today = timezone.localdate()
    settings = status.settings_of(access.school)
    current = current_roles(access.school)
    return render(
        request,
        "filtering/overview.html",
        ctx(
            access,
            role_rows=[(label, current.get(kind)) for kind, label in RoleKind.choices],
            provision=selectors.current_provision(school=access.school),
            coverage=status.coverage(school=access.school, today=today, settings=settings),
            tasks=selectors.open_tasks(school=access.school),
            reports=status.report_weeks(
                school=access.school, today=today, limit=4, settings=settings
            ),
            review=status.review_status(school=access.school, today=today),
            settings=settings,
        ),
    )


@school_view(*KEEPERS)
def settings_edit(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    current = status.settings_of(access.school)
    form = SettingsForm(
        request.POST or None,
        initial={
            "check_cadence": current.check_cadence,
            "reports_from": current.reports_from,
        },
    )
    return form_page(
        request,
        access,
        form=form,
        do=lambda: settings_services.settings_update(
            school=access.school, actor=request.user, **form.cleaned_data
        ),
        done="The filtering settings were saved.",
        then=lambda: reverse("filtering:overview", args=[access.school.code]),
        template="filtering/settings_form.html",
    )


@school_view(*READERS, *GOVERNORS)
def roles(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    current = current_roles(access.school)
    rows = [(kind, label, current.get(kind), ROLE_DUTIES[kind]) for kind, label in RoleKind.choices]
    return render(request, "filtering/roles.html", ctx(access, rows=rows))


@school_view(*KEEPERS)
def role_assign(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    # Which role: ?kind= (the roles page links each), the senior leader by default.
    kind = request.GET.get("kind", RoleKind.SENIOR_LEADER)
    if kind not in RoleKind.values:
        raise Http404("No such role")
    current = current_roles(access.school).get(kind)
    members = selectors.members_holding(
        school=access.school, roles=ELIGIBLE.get(kind, frozenset({Role.HEAD}))
    )
    initial = {"duties": current.duties if current else ROLE_DUTIES[kind]}
    if current:
        initial |= {
            "user": current.user_id,
            "name": current.name,
            "organisation": current.organisation,
            "contact": current.contact,
        }
    form = RoleForm(request.POST or None, kind=kind, members=members, initial=initial)
    return form_page(
        request,
        access,
        form=form,
        do=lambda: role_services.role_assign(
            school=access.school, actor=request.user, kind=kind, **form.cleaned_data
        ),
        done=f"{RoleKind(kind).label}: saved. The earlier holder stays on record.",
        then=lambda: reverse("filtering:roles", args=[access.school.code]),
        template="filtering/role_form.html",
        kind_label=RoleKind(kind).label,
        current=current,
    )


@school_view(*READERS)
def provision(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    history = selectors.provision_history(school=access.school)
    current = history.rows[0] if history.rows else None
    return render(
        request, "filtering/provision.html", ctx(access, current=current, history=history)
    )


@school_view(*KEEPERS)
def provision_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    current = selectors.current_provision(school=access.school)
    initial = {}
    if current:
        initial = {f: getattr(current, f) for f in provision_services.COMPARED}
    form = ProvisionForm(request.POST or None, initial=initial)
    return form_page(
        request,
        access,
        form=form,
        do=lambda: provision_services.provision_record(
            school=access.school, actor=request.user, **form.cleaned_data
        ),
        done="The provision was saved as a new version.",
        then=lambda: reverse("filtering:provision", args=[access.school.code]),
        template="filtering/provision_form.html",
        current=current,
    )


@school_view(*READERS)
def decisions(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    page = Paginator(selectors.decisions(school=access.school), selectors.LIST_LIMIT).get_page(
        request.GET.get("page")
    )
    return render(request, "filtering/decision_list.html", ctx(access, page=page))


@school_view(*KEEPERS)
def decision_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    today = timezone.localdate()
    initial = {"requested_on": today, "decided_on": today, "concern": request.GET.get("concern")}
    form = DecisionForm(request.POST or None, initial=initial)
    made = {}

    def do() -> None:
        data = dict(form.cleaned_data)
        concern_code = data.pop("concern")
        made["decision"] = decision_services.decision_record(
            school=access.school, actor=request.user, concern_code=concern_code, **data
        )

    return form_page(
        request,
        access,
        form=form,
        do=do,
        done="The decision was added to the log.",
        then=lambda: reverse(
            "filtering:decision_detail", args=[access.school.code, made["decision"].code]
        ),
        template="filtering/decision_form.html",
        from_concern=bool(form["concern"].value()),
    )


def _decision(access: SchoolAccess, code: UUID):
    found = selectors.decision_for(school=access.school, code=code)
    if found is None:
        raise Http404("No such decision")
    return found


@school_view(*READERS)
def decision_detail(request: HttpRequest, access: SchoolAccess, decision: UUID) -> HttpResponse:
    found = _decision(access, decision)
    applied = getattr(found, "applied", None)
    form = AppliedForm(initial={"applied_on": timezone.localdate()})
    return render(
        request,
        "filtering/decision_detail.html",
        ctx(access, decision=found, applied=applied, form=form),
    )


@school_view(*KEEPERS)
@require_POST
def decision_applied(request: HttpRequest, access: SchoolAccess, decision: UUID) -> HttpResponse:
    found = _decision(access, decision)
    form = AppliedForm(request.POST)
    if form.is_valid() and submit_form(
        request,
        form,
        lambda: decision_services.decision_applied(
            decision=found, actor=request.user, **form.cleaned_data
        ),
        "When it was applied is recorded.",
    ):
        return redirect("filtering:decision_detail", access.school.code, found.code)
    return render(
        request,
        "filtering/decision_detail.html",
        ctx(access, decision=found, applied=None, form=form),
    )
