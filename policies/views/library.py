"""The policy library: policies, their versions from draft to retired, PDFs and the figures.

The online safety lead and the head keep the library; the DSL and deputies read it. Every policy
and version is found through a selector scoped to the school, so another school's code is a 404
like one that does not exist.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from esafety.actions import run_service, submit_form
from esafety.csv_export import csv_download
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import Role
from esafety.people.navigation import nav_for
from policies.forms.library import (
    ApproveForm,
    PolicyForm,
    PublishForm,
    ReviewDateForm,
    VersionForm,
)
from policies.models import Policy, PolicyVersion, VersionStatus
from policies.pdf import pdf_response
from policies.rendering import render_body
from policies.selectors import figures as figure_selectors
from policies.selectors import library as selectors
from policies.services import library as services
from policies.services.exports import export_record

MANAGERS = (Role.ONLINE_SAFETY_LEAD, Role.HEAD)
READERS = (*MANAGERS, Role.DSL, Role.DEPUTY_DSL)
# Governors see the figures as numbers; these roles also see who is outstanding.
NAMES_ROLES = READERS
FIGURES_ROLES = (*READERS, Role.GOVERNOR)


def _ctx(access: SchoolAccess, **extra) -> dict:
    return {"access": access, "nav": nav_for(access), "can_manage": access.has(*MANAGERS), **extra}


def _policy(access: SchoolAccess, code: UUID) -> Policy:
    policy = selectors.policies_for_school(school=access.school).filter(code=code).first()
    if policy is None:
        raise Http404("No such policy")
    return policy


def _version(access: SchoolAccess, code: UUID) -> PolicyVersion:
    version = selectors.versions_for_school(school=access.school).filter(code=code).first()
    if version is None:
        raise Http404("No such version")
    return version


def _version_url(version: PolicyVersion) -> str:
    return reverse("policies:version_detail", args=[version.policy.school.code, version.code])


def public_list_url(request: HttpRequest, access: SchoolAccess) -> str:
    return request.build_absolute_uri(reverse("policies:public_list", args=[access.school.code]))


# The library.


@dataclass(frozen=True)
class LibraryRow:
    policy: Policy
    published: PolicyVersion | None
    pending: list[PolicyVersion]  # drafts and approved versions not yet published
    review: str  # "overdue", "due_soon" or ""


def review_state(version: PolicyVersion | None, today: datetime.date) -> str:
    if version is None or version.next_review_due is None:
        return ""
    if version.next_review_due < today:
        return "overdue"
    if version.next_review_due <= today + datetime.timedelta(days=selectors.REVIEW_WARNING_DAYS):
        return "due_soon"
    return ""


def library_rows(policies, today: datetime.date) -> list[LibraryRow]:
    rows = []
    for policy in policies:
        versions = list(policy.versions.all())  # prefetched, newest first
        published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
        pending = [v for v in versions if v.status in (VersionStatus.DRAFT, VersionStatus.APPROVED)]
        rows.append(LibraryRow(policy, published, pending, review_state(published, today)))
    return rows


@school_view(*READERS)
def library(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    rows = library_rows(selectors.policies_for_school(school=access.school), timezone.localdate())
    return render(
        request,
        "policies/library_list.html",
        _ctx(access, rows=rows, public_url=public_list_url(request, access)),
    )


def _policy_form(request: HttpRequest, access: SchoolAccess, **kwargs) -> PolicyForm:
    return PolicyForm(
        request.POST or None, owners=selectors.owner_choices(school=access.school), **kwargs
    )


@school_view(*MANAGERS)
def policy_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = _policy_form(request, access, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        created = {}

        def create() -> None:
            created["policy"] = services.policy_create(
                actor=request.user, school=access.school, **form.cleaned_data
            )

        done = f"{form.cleaned_data['title']} added. Now write its text."
        if submit_form(request, form, create, done):
            return redirect("policies:version_new", access.school.code, created["policy"].code)
    return render(request, "policies/policy_form.html", _ctx(access, form=form, policy=None))


@school_view(*READERS)
def policy_detail(request: HttpRequest, access: SchoolAccess, policy: UUID) -> HttpResponse:
    found = _policy(access, policy)
    versions = list(selectors.versions_of(policy=found))
    published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    public_url = None
    if found.is_public and published:
        public_url = request.build_absolute_uri(
            reverse("policies:public_policy", args=[access.school.code, found.code])
        )
    return render(
        request,
        "policies/policy_detail.html",
        _ctx(
            access,
            policy=found,
            versions=versions,
            published=published,
            review=review_state(published, timezone.localdate()),
            public_url=public_url,
        ),
    )


@school_view(*MANAGERS)
def policy_edit(request: HttpRequest, access: SchoolAccess, policy: UUID) -> HttpResponse:
    found = _policy(access, policy)
    initial = {
        "title": found.title,
        "owner": found.owner_id,
        "audiences": found.audiences,
        "requires_acceptance": found.requires_acceptance,
        "is_public": found.is_public,
    }
    form = _policy_form(request, access, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():

        def update() -> None:
            services.policy_update(actor=request.user, policy=found, **form.cleaned_data)

        if submit_form(request, form, update, "The policy's details were saved."):
            return redirect("policies:policy_detail", access.school.code, found.code)
    return render(request, "policies/policy_form.html", _ctx(access, form=form, policy=found))


# Versions.


def _version_form_page(
    request: HttpRequest, access: SchoolAccess, form: VersionForm, save: Callable, **ctx
) -> HttpResponse:
    """The text editor for a new version or a draft. "Preview" shows the text as readers will
    see it (through the sanitiser) without saving anything."""
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_body(form.cleaned_data["body"])
        else:
            saved = {}

            def do() -> None:
                saved["version"] = save(**form.cleaned_data)

            if submit_form(
                request, form, do, f"Draft version {form.cleaned_data['number']} saved."
            ):
                return redirect(_version_url(saved["version"]))
    return render(
        request, "policies/version_form.html", _ctx(access, form=form, preview=preview, **ctx)
    )


def _next_number(versions: list[PolicyVersion]) -> str:
    whole = [int(v.number.split(".")[0]) for v in versions if v.number.split(".")[0].isdigit()]
    return str(max(whole) + 1) if whole else "1"


@school_view(*MANAGERS)
def version_new(request: HttpRequest, access: SchoolAccess, policy: UUID) -> HttpResponse:
    found = _policy(access, policy)
    versions = list(found.versions.all())  # prefetched by policies_for_school
    latest = versions[0] if versions else None
    # A new version starts from the latest text: most reviews change a few paragraphs.
    form = VersionForm(
        request.POST or None,
        initial={"number": _next_number(versions), "body": latest.body if latest else ""},
    )

    def save(number: str, body: str) -> PolicyVersion:
        return services.version_create(actor=request.user, policy=found, number=number, body=body)

    return _version_form_page(request, access, form, save, policy=found, version=None)


@school_view(*READERS)
def version_detail(request: HttpRequest, access: SchoolAccess, version: UUID) -> HttpResponse:
    found = _version(access, version)
    acceptances = Paginator(selectors.acceptances_of(version=found), 50).get_page(
        request.GET.get("page")
    )
    public_url = None
    if found.status == VersionStatus.PUBLISHED and found.policy.is_public:
        public_url = request.build_absolute_uri(
            reverse("policies:public_policy", args=[access.school.code, found.policy.code])
        )
    return render(
        request,
        "policies/version_detail.html",
        _ctx(
            access,
            version=found,
            policy=found.policy,
            body=render_body(found.body),
            review=review_state(
                found if found.status == VersionStatus.PUBLISHED else None, timezone.localdate()
            ),
            public_url=public_url,
            acceptances=acceptances,
        ),
    )


def _refuse_unless(request: HttpRequest, version: PolicyVersion, status: str, why: str):
    """An action that does not fit the version's status sends the person back to the version,
    saying why, before showing a form that could only fail."""
    if version.status != status:
        messages.error(request, why)
        return redirect(_version_url(version))
    return None


def _version_step(
    request: HttpRequest,
    access: SchoolAccess,
    version: PolicyVersion,
    form: Form | None,
    do: Callable[[], object],
    done: str,
    template: str,
    **ctx,
) -> HttpResponse:
    """Every step of a version's life (approve, publish, review date, retire) is one pattern: on
    a POST run the service and go back to the version saying what happened; otherwise, or if
    it refused, show the page again with the refusal and what was typed."""
    if request.method == "POST":
        if form is None:
            ran = run_service(request, do, done)
        else:
            ran = form.is_valid() and submit_form(request, form, do, done)
        if ran:
            return redirect(_version_url(version))
    return render(
        request, template, _ctx(access, form=form, version=version, policy=version.policy, **ctx)
    )


@school_view(*MANAGERS)
def version_edit(request: HttpRequest, access: SchoolAccess, version: UUID) -> HttpResponse:
    found = _version(access, version)
    refused = _refuse_unless(
        request,
        found,
        VersionStatus.DRAFT,
        "Only a draft can be edited: what was approved is what is published. "
        "Start a new version instead.",
    )
    if refused:
        return refused
    form = VersionForm(request.POST or None, initial={"number": found.number, "body": found.body})

    def save(number: str, body: str) -> PolicyVersion:
        return services.version_update_draft(
            actor=request.user, version=found, number=number, body=body
        )

    return _version_form_page(request, access, form, save, policy=found.policy, version=found)


@school_view(*MANAGERS)
def version_approve(request: HttpRequest, access: SchoolAccess, version: UUID) -> HttpResponse:
    found = _version(access, version)
    refused = _refuse_unless(request, found, VersionStatus.DRAFT, "Only a draft can be approved.")
    if refused:
        return refused
    form = ApproveForm(request.POST or None, as_head=access.has(Role.HEAD))
    return _version_step(
        request,
        access,
        found,
        form,
        lambda: services.version_approve(actor=request.user, version=found, **form.cleaned_data),
        f"Version {found.number} approved. It can now be published.",
        "policies/version_approve.html",
    )


@school_view(*MANAGERS)
def version_publish(request: HttpRequest, access: SchoolAccess, version: UUID) -> HttpResponse:
    found = _version(access, version)
    refused = _refuse_unless(
        request,
        found,
        VersionStatus.APPROVED,
        "Only an approved version can be published: record its approval first.",
    )
    if refused:
        return refused
    form = PublishForm(request.POST or None)
    return _version_step(
        request,
        access,
        found,
        form,
        lambda: services.version_publish(actor=request.user, version=found, **form.cleaned_data),
        f"Version {found.number} is published.",
        "policies/version_publish.html",
        replaces=selectors.versions_of(policy=found.policy)
        .filter(status=VersionStatus.PUBLISHED)
        .first(),
    )


@school_view(*MANAGERS)
def version_review_date(request: HttpRequest, access: SchoolAccess, version: UUID) -> HttpResponse:
    found = _version(access, version)
    refused = _refuse_unless(
        request,
        found,
        VersionStatus.PUBLISHED,
        "Only the published version has a review date to change.",
    )
    if refused:
        return refused
    form = ReviewDateForm(request.POST or None, initial={"next_review_due": found.next_review_due})
    return _version_step(
        request,
        access,
        found,
        form,
        lambda: services.version_set_review_date(
            actor=request.user, version=found, **form.cleaned_data
        ),
        "The review date was changed.",
        "policies/version_review_date.html",
    )


@school_view(*MANAGERS)
def version_retire(request: HttpRequest, access: SchoolAccess, version: UUID) -> HttpResponse:
    found = _version(access, version)
    refused = _refuse_unless(
        request, found, VersionStatus.PUBLISHED, "Only the published version can be retired."
    )
    if refused:
        return refused
    return _version_step(
        request,
        access,
        found,
        None,
        lambda: services.version_retire(actor=request.user, version=found),
        f"Version {found.number} is retired. It stays readable here.",
        "policies/version_retire.html",
    )


@school_view(*READERS)
def version_pdf(request: HttpRequest, access: SchoolAccess, version: UUID) -> HttpResponse:
    return pdf_response(_version(access, version))


# The figures.


@school_view(*FIGURES_ROLES)
def figures(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    with_names = access.has(*NAMES_ROLES)
    return render(
        request,
        "policies/figures.html",
        _ctx(
            access,
            figures=figure_selectors.acceptance_figures(
                school=access.school, with_names=with_names
            ),
            reviews=selectors.reviews(school=access.school),
            with_names=with_names,
            can_read=access.has(*READERS),
        ),
    )


@school_view(*FIGURES_ROLES)
def figures_csv(request: HttpRequest, access: SchoolAccess) -> StreamingHttpResponse:
    with_names = access.has(*NAMES_ROLES)
    export_record(
        actor=request.user, school=access.school, what="policy_figures", with_names=with_names
    )
    figures = figure_selectors.acceptance_figures(school=access.school, with_names=with_names)
    header = ["Policy", "Version", "Audience", "Accepted", "Total", "Percent accepted"]
    rows = [header + (["Outstanding"] if with_names else [])]
    for f in figures:
        for a in f.audiences:
            row = [f.version.policy.title, f.version.number, a.label, a.accepted, a.total]
            row.append(a.percent)
            if with_names:
                row.append("; ".join(a.outstanding))
            rows.append(row)
    return csv_download(rows, filename=f"policy-acceptance-{timezone.localdate():%Y-%m-%d}.csv")
