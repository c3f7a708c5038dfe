"""A trust's figures: each of its schools side by side and the trust in total, suppressed as
one table, so that neither a school's hidden count nor the total less the other schools gives
anything away. Nothing below figures: no listing, no name, no record.

The trust lead's access is checked here (trust_view): anonymous to sign-in; not a lead of this
trust, 404 (as for a trust that does not exist); signed in without a second factor, sent to set
one up or to sign in again with it."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from esafety.middleware import PrivilegedIdleTimeoutMiddleware
from esafety.reports import periods
from esafety.reports.cells import LaidRow, layout, median_n_key, section_cells
from esafety.reports.disclosure import Sum, Suppression, suppress
from esafety.reports.models import Trust
from esafety.reports.periods import Period
from esafety.reports.selectors import (
    CellView,
    _text,
    available_sections,
    chosen_sections,
    settings_of,
)
from esafety.reports.shapes import CountTable, SectionFigures

TOTAL = "trust:"


def trust_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, trust: UUID, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        found = Trust.objects.filter(code=trust, leads__user=user, leads__is_active=True).first()
        if found is None:
            raise Http404("No such trust")
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return redirect("mfa_activate_totp")
        if not any(r.get("method") == "mfa" for r in get_authentication_records(request, user)):
            # Enrolled, but this session was not signed in with the code: sign in again.
            return redirect("mfa_reauthenticate")
        # The privileged idle sign-out, which the middleware gives only those whose privilege
        # comes from a school: a trust lead may hold no school membership at all.
        signed_out = PrivilegedIdleTimeoutMiddleware.check(request)
        if signed_out is not None:
            return signed_out
        return view(request, found, *args, **kwargs)

    return wrapper


def trusts_of(user) -> list[Trust]:
    return list(Trust.objects.filter(leads__user=user, leads__is_active=True).order_by("name"))


@dataclass(frozen=True)
class TrustRow:
    label: str
    kind: str
    cells: tuple[tuple[CellView, ...], ...]  # per school then the trust: one per column


@dataclass(frozen=True)
class TrustTable:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[TrustRow, ...]


@dataclass(frozen=True)
class TrustSection:
    key: str
    title: str
    tables: tuple[TrustTable, ...]
    medians: tuple[tuple[str, tuple[str, ...]], ...]  # title, per school (no trust median)
    suppression: Suppression


@dataclass(frozen=True)
class TrustReport:
    trust: Trust
    schools: tuple[str, ...]
    period: Period
    threshold: int
    sections: tuple[TrustSection, ...]

    @property
    def fewer_than(self) -> str:
        return f"fewer than {self.threshold + 1}"


def _school_prefix(i: int) -> str:
    return f"s{i}:"


def trust_report(*, trust: Trust, period: Period | None = None) -> TrustReport:
    schools = list(trust.schools.order_by("name"))
    if period is None:
        first = schools[0] if schools else None
        period = (
            periods.term_of(first, timezone.localdate())
            if first
            else periods.custom(timezone.localdate(), timezone.localdate())
        )
    settings = [settings_of(s) for s in schools]
    # The strictest threshold of the trust's schools, and the sections every board chose.
    threshold = max((s.threshold for s in settings), default=4)
    keys = (
        set.intersection(*({x.key for x in chosen_sections(s)} for s in settings))
        if settings
        else set()
    )
    sections = [s for s in available_sections() if s.key in keys]
    views = []
    for section in sections:
        figures = [section.build(school=s, start=period.start, end=period.end) for s in schools]
        views.append(_section(section.key, section.title, figures, threshold))
    return TrustReport(
        trust=trust,
        schools=tuple(s.name for s in schools),
        period=period,
        threshold=threshold,
        sections=tuple(views),
    )


def _section(key: str, title: str, figures: list[SectionFigures], threshold: int) -> TrustSection:
    values: dict[str, int] = {}
    sums: list[Sum] = []
    per_school: list[dict[str, int]] = []
    for i, f in enumerate(figures):
        v, r = section_cells(f, _school_prefix(i), last=None)
        values |= v
        sums += r
        per_school.append({k.removeprefix(_school_prefix(i)): n for k, n in v.items()})
    # The trust's total of each figure every school has is the sum of the schools': a sum a
    # reader can form, suppressed with the rest.
    shared = set.intersection(*(set(p) for p in per_school)) if per_school else set()
    for k in sorted(shared):
        values[TOTAL + k] = sum(p[k] for p in per_school)
        sums.append(Sum(TOTAL + k, tuple(_school_prefix(i) + k for i in range(len(figures)))))
    s = suppress(values=values, relations=sums, threshold=threshold)
    tables = [_table(t, figures, s) for t in _tables_of(figures)]
    medians = []
    for m in figures[0].medians if figures else ():
        texts = []
        for i, f in enumerate(figures):
            median = next((x for x in f.medians if x.key == m.key), None)
            n_key = _school_prefix(i) + median_n_key(m.key)
            if median is None or median.value is None or median.n == 0:
                texts.append("none")
            elif s.is_hidden(n_key) or median.n <= threshold:
                texts.append(f"not shown: from {_text(s, n_key).text}")
            else:
                texts.append(f"{median.value:g} {median.unit} (from {median.n:,})")
        medians.append((m.title, tuple(texts)))
    return TrustSection(key, title, tuple(tables), tuple(medians), s)


def _tables_of(figures: list[SectionFigures]) -> list[tuple[CountTable, list[CountTable | None]]]:
    order: dict[str, CountTable] = {}
    for f in figures:
        for t in f.tables:
            order.setdefault(t.key, t)
    return [
        (t, [next((x for x in f.tables if x.key == key), None) for f in figures])
        for key, t in order.items()
    ]


def _table(
    pair: tuple[CountTable, list[CountTable | None]], figures: list[SectionFigures], s: Suppression
) -> TrustTable:
    first, each = pair
    rows: dict[tuple[str, str], LaidRow] = {}
    for t in each:
        if t is not None:
            for laid in layout(t)[0]:
                rows.setdefault((laid.kind, laid.label), laid)
    body = []
    for laid in rows.values():
        cells = []
        for i in range(len(figures)):
            cells.append(tuple(_text(s, _school_prefix(i) + k) for k in laid.keys))
        cells.append(tuple(_text(s, TOTAL + k) for k in laid.keys))
        body.append(TrustRow(laid.label, laid.kind, tuple(cells)))
    columns = first.columns + (("Total",) if first.row_totals else ())
    return TrustTable(first.key, first.title, columns, tuple(body))
