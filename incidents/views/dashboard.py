"""The DSL dashboard (what needs acknowledging, what is open, what is waiting) and the list of
every concern, filtered, a page at a time."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from esafety import contributions
from esafety.formats import date_text
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import Role
from esafety.people.navigation import nav_for
from esafety.people.selectors import year_groups_on_roll
from incidents import selectors, services
from incidents.categories import Category
from incidents.forms.work import ConcernFilterForm
from incidents.models import OPEN_STATUSES, Agency, Status, reference_of
from incidents.templatetags.concern_links import concern_url

DASHBOARD_ROLES = (Role.DSL, Role.DEPUTY_DSL, Role.HEAD, Role.ONLINE_SAFETY_LEAD)
PER_PAGE = 25
# The dashboard's short lists show this many each, with counts of all and a link to the rest
# in the list below: the page stays the same size however long a queue grows.
WAITING_SHOWN = 15
AWAITING_SHOWN = 10
FILTER_FIELDS = ("category", "status", "year_group", "date_from", "date_to")


@dataclass(frozen=True, slots=True)
class ListRow:
    """A row of the list of concerns, its text worked out here: a template looks each value up
    through several attempts (dict, attribute, index) and escapes it, which for 25 rows of eight
    values each was most of the page's rendering."""

    href: str
    reference: str
    immediate_risk: bool
    logged: str
    category: str
    pupils: str
    status: str
    steps_open: int


def _list_rows(access: SchoolAccess, concerns: list[dict]) -> list[ListRow]:
    labels, statuses = dict(Category.choices), dict(Status.choices)
    pupils = selectors.pupils_named([c["id"] for c in concerns])
    return [
        ListRow(
            href=concern_url(access.school.code, c["code"]),
            reference=reference_of(c["code"]),
            immediate_risk=c["immediate_risk"],
            logged=date_text(timezone.localtime(c["created_at"]), "j M Y"),
            category=labels.get(c["category"], c["category"]),
            pupils=", ".join(pupils[c["id"]]) or "None named",
            status=statuses.get(c["status"], c["status"]),
            steps_open=c["steps_open"],
        )
        for c in concerns
    ]


@dataclass(frozen=True, slots=True)
class Waiting:
    """A concern waiting to be acknowledged, as its row shows it."""

    href: str
    reference: str
    immediate_risk: bool
    category: str
    reporter: str
    waited: str  # "2 hours, 5 minutes"
    minutes: int
    limit: int

    @property
    def overdue(self) -> bool:
        return self.minutes >= self.limit


@dataclass(frozen=True, slots=True)
class Glance:
    """A concern in one of the dashboard's short lists: its link, reference and category, and
    what the list says of it (steps to do, or the agencies it waits on)."""

    href: str
    reference: str
    category: str
    steps_open: int = 0
    referrals: str = ""


def _waiting(access: SchoolAccess, now: datetime.datetime) -> list[Waiting]:
    school = access.school
    labels = dict(Category.choices)
    rows = []
    for concern in selectors.unacknowledged(access, limit=WAITING_SHOWN):
        # The same clocks the escalation task runs on, so "overdue" here means "escalated".
        limit = (
            school.immediate_risk_escalation_minutes
            if concern["immediate_risk"]
            else school.escalation_minutes
        )
        created = concern["created_at"]
        rows.append(
            Waiting(
                href=concern_url(school.code, concern["code"]),
                reference=reference_of(concern["code"]),
                immediate_risk=concern["immediate_risk"],
                category=labels.get(concern["category"], concern["category"]),
                reporter=concern["reported_by__full_name"] or concern["reported_by__email"],
                waited=timesince(created, now),
                minutes=int((now - created).total_seconds() // 60),
                limit=limit,
            )
        )
    return rows


def _outstanding(access: SchoolAccess) -> list[Glance]:
    labels = dict(Category.choices)
    return [
        Glance(
            href=concern_url(access.school.code, c["code"]) + "#h-steps",
            reference=reference_of(c["code"]),
            category=labels.get(c["category"], c["category"]),
            steps_open=c["steps_open"],
        )
        for c in selectors.steps_outstanding(access)
    ]


def _awaiting(access: SchoolAccess) -> list[Glance]:
    labels, agencies = dict(Category.choices), dict(Agency.choices)
    return [
        Glance(
            href=concern_url(access.school.code, c["code"]),
            reference=reference_of(c["code"]),
            category=labels.get(c["category"], c["category"]),
            referrals=", ".join(
                f"{agencies.get(r['agency'], r['agency'])} since "
                f"{date_text(r['referred_on'], 'j M Y')}"
                for r in referrals
            ),
        )
        for c, referrals in selectors.awaiting_agency(access, limit=AWAITING_SHOWN)
    ]


def _open_table(counts: dict[tuple[str, str], int]) -> dict:
    rows = []
    for category in Category:
        cells = [counts.get((category.value, status.value), 0) for status in OPEN_STATUSES]
        if any(cells):
            rows.append({"category": category, "cells": cells, "total": sum(cells)})
    totals = [sum(r["cells"][i] for r in rows) for i in range(len(OPEN_STATUSES))]
    return {
        "statuses": OPEN_STATUSES,
        "rows": rows,
        "totals": totals,
        "total": sum(totals),
    }


def _concern_page(request: HttpRequest, access: SchoolAccess, *, with_form: bool) -> dict:
    # The full page offers the school's year groups to choose from (one query); the list alone,
    # which shows no form, filters by the year group asked for, which matches nothing if the
    # school has no such year group.
    asked = request.GET.get("year_group", "")
    years = year_groups_on_roll(access.school) if with_form else [asked] if asked else []
    form = ConcernFilterForm(request.GET or None, year_groups=years)
    concerns = selectors.concern_list(access, form.filters())
    # Numbered without counting every concern of the school: a page reads one row more than it
    # shows, to know whether another follows; each row's steps are counted in the same query.
    page = selectors.rows_page(concerns, selectors.page_number(request.GET.get("page")), PER_PAGE)
    # The list names the pupils in each concern: every row shown is a read, and is audited.
    services.concerns_record_read(
        actor=request.user,
        school=access.school,
        codes=[c["code"] for c in page.rows],
        what="concern_list",
    )
    # The page links keep the filters, escaped ("Year 5" stays one value).
    kept = [(f, request.GET[f]) for f in FILTER_FIELDS if request.GET.get(f)]
    return {
        "form": form,
        "page": page,
        "rows": _list_rows(access, page.rows),
        "page_query": urlencode(kept),
    }


@school_view(*DASHBOARD_ROLES)
def dashboard(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    """At a glance: what waits to be acknowledged (overdue, a child at immediate risk), what is
    open, what has steps to do and what waits on an agency. The list of every concern is a page
    of its own (`concern_list`), linked from here: this page names no child, so reading it is
    not a read of any concern."""
    if any(request.GET.get(f) for f in (*FILTER_FIELDS, "page")):
        # The list and its filters were once on this page: old links land on the list.
        to = reverse("incidents:concern_list", args=[access.school.code])
        return redirect(f"{to}?{request.GET.urlencode()}")
    now = timezone.now()
    counts = selectors.open_counts(access, now, steps=True)
    open_table = _open_table(counts.by_category_status)
    return render(
        request,
        "incidents/dashboard.html",
        {
            "access": access,
            "nav": nav_for(access),
            "waiting": _waiting(access, now),
            "waiting_counts": counts.unacknowledged,
            "open_table": open_table,
            "outstanding": _outstanding(access),
            "outstanding_total": counts.with_steps_outstanding,
            "awaiting": _awaiting(access),
            # Open concerns by status are counted already: the last column is this one.
            "awaiting_total": open_table["totals"][OPEN_STATUSES.index(Status.AWAITING_AGENCY)],
            # Other apps' sections (devices held as evidence), each deciding for itself.
            "panels": contributions.panels("incidents:dashboard", access, access.school),
        },
    )


@school_view(*DASHBOARD_ROLES)
def concern_list(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    """Every concern the member may open, filtered, 25 to a page."""
    return render(
        request,
        "incidents/concern_list.html",
        {
            "access": access,
            "nav": nav_for(access),
            **_concern_page(request, access, with_form=True),
        },
    )


@school_view(*DASHBOARD_ROLES)
def dashboard_list(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    """The filtered list alone: dashboard.js swaps it into the list's page as the filters
    change."""
    return render(
        request,
        "incidents/_concern_list.html",
        {"access": access, **_concern_page(request, access, with_form=False)},
    )
