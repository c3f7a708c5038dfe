"""The visitor kiosk: the reception tablet's page, the office's kiosk links and visitor log.

The kiosk page has no sign-in and reaches nothing else: it is not a school page (no
`s/<school>/` in its address, so no navigation and no banner), its own layout has no link out,
the AUP's own links are taken out, and opening it signs out whoever was signed in on that
browser, so a visitor can never walk from the tablet into the school's records.
"""

import zoneinfo

import nh3
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from esafety.csv_export import csv_download
from esafety.middleware import client_ip
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import Role
from esafety.people.navigation import nav_for
from policies.forms.accept import KioskLinkForm, KioskRevokeForm, VisitorForm
from policies.models import KioskLink, PolicyVersion
from policies.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from policies.selectors import kiosk as selectors
from policies.services import kiosk as services
from policies.services.common import PolicyError
from policies.services.exports import export_record

KIOSK_ROLES = (Role.OFFICE, Role.HEAD)
VISITORS_PER_PAGE = 50


def _no_links(version: PolicyVersion) -> SafeString:
    # The AUP is shown through the sanitiser as everywhere; on the kiosk its links are then
    # reduced to their text, so the page has no way out.
    html = nh3.clean(
        render_markdown(version.body),
        tags=ALLOWED_TAGS - {"a"},
        attributes={k: v for k, v in ALLOWED_ATTRIBUTES.items() if k != "a"},
    )
    return mark_safe(html)  # noqa: S308 (sanitised twice, just above)


def _kiosk_or_404(request: HttpRequest, token: str) -> KioskLink:
    link = services.kiosk_for_token(token)
    if link is None:
        raise Http404("No such kiosk")
    if request.user.is_authenticated:
        logout(request)
    return link


def _closed(request: HttpRequest) -> HttpResponse:
    return render(request, "policies/kiosk_closed.html", status=404)


@never_cache
def kiosk(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = _kiosk_or_404(request, token)
    except Http404:
        return _closed(request)
    version = selectors.visitor_aup(school=link.school)
    form = VisitorForm(request.POST or None)
    if request.method == "POST" and version is not None and form.is_valid():
        try:
            services.visitor_accept(
                kiosk=link,
                name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"],
                visiting=form.cleaned_data["visiting"],
                typed_name=form.cleaned_data["typed_name"],
                submission=form.cleaned_data["submission"],
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except PolicyError as e:
            form.add_error(None, str(e))
        else:
            return redirect("policies:kiosk_thanks", token=token)
    return render(
        request,
        "policies/kiosk_form.html",
        {
            "school_name": link.school.name,
            "version": version,
            "body": _no_links(version) if version else "",
            "form": form,
            "token": token,
        },
    )


@never_cache
def kiosk_thanks(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = _kiosk_or_404(request, token)
    except Http404:
        return _closed(request)
    return render(
        request,
        "policies/kiosk_thanks.html",
        {"school_name": link.school.name, "token": token},
    )


# The office's side: kiosk links and the visitor log.


@school_view(*KIOSK_ROLES)
def kiosk_links(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = KioskLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        link, token = services.kiosk_link_create(
            actor=request.user, school=access.school, label=form.cleaned_data["label"]
        )
        # Shown in this response only: the token is stored hashed, and is never put in the
        # session or a message, so it cannot be shown again.
        return render(
            request,
            "policies/kiosk_created.html",
            {
                "access": access,
                "nav": nav_for(access),
                "link": link,
                "url": settings.SITE_URL + reverse("policies:kiosk", args=[token]),
            },
        )
    return render(
        request,
        "policies/kiosk_links.html",
        {
            "access": access,
            "nav": nav_for(access),
            "form": form,
            "links": selectors.kiosk_links(school=access.school),
            "visitor_aup": selectors.visitor_aup(school=access.school),
        },
    )


@school_view(*KIOSK_ROLES)
@require_POST
def kiosk_revoke(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = KioskRevokeForm(request.POST)
    link = None
    if form.is_valid():
        link = (
            selectors.kiosk_links(school=access.school)
            .filter(code=form.cleaned_data["link"])
            .first()
        )
    if link is None:
        raise Http404("No such kiosk link")
    services.kiosk_link_revoke(actor=request.user, link=link)
    messages.success(request, f"The kiosk link for {link.label} no longer works.")
    return redirect("policies:kiosk_links", school=access.school.code)


@school_view(*KIOSK_ROLES)
def visitor_log(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    page = Paginator(selectors.visitor_log(school=access.school), VISITORS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "policies/visitor_log.html",
        {"access": access, "nav": nav_for(access), "page": page},
    )


@school_view(*KIOSK_ROLES)
def visitor_log_csv(request: HttpRequest, access: SchoolAccess) -> StreamingHttpResponse:
    tz = zoneinfo.ZoneInfo(access.school.timezone)
    export_record(actor=request.user, school=access.school, what="visitor_log", with_names=True)

    def rows():
        yield ["Arrived", "Name", "Organisation", "Visiting", "Agreement", "Version", "Signed as"]
        for v in selectors.visitor_log(school=access.school).iterator(chunk_size=500):
            acceptance = getattr(v, "acceptance", None)
            version = acceptance.version if acceptance else None
            yield [
                timezone.localtime(v.arrived_at, tz).strftime("%Y-%m-%d %H:%M"),
                v.name,
                v.organisation,
                v.visiting,
                version.policy.title if version else "",
                version.number if version else "",
                acceptance.typed_name if acceptance else "",
            ]

    return csv_download(rows(), filename=f"visitors-{timezone.localdate():%Y-%m-%d}.csv")
