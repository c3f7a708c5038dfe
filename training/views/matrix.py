"""The compliance matrix, its CSV and its PDF.

The online safety lead, the DSL and the head see everyone by name. Governors see the governors'
rows, and the staff's only as numbers. A member of staff sees their own row on their own page.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString

from esafety.csv_export import csv_download
from esafety.formats import date_text
from esafety.paging import RowsPage, page_number, rows_page
from esafety.people.access import SchoolAccess, school_view
from training.models import Group
from training.pdf import matrix_pdf_response
from training.selectors.matrix import (
    ROLE_FILTERS,
    STATUS_FILTERS,
    Matrix,
    Row,
    build_matrix,
    filter_rows,
)
from training.selectors.people import people_of
from training.selectors.records import may_see_everyone, unverified_count
from training.services.common import export_record, settings_for
from training.validity import Cell
from training.views.common import MATRIX_ROLES, ctx

# The page shows this many people at a time, in the matrix's order (by name); the CSV and the
# PDF hold everyone the filters choose.
PER_PAGE = 50


def _filters(request: HttpRequest) -> tuple[str, str]:
    group = request.GET.get("role", "")
    state = request.GET.get("status", "")
    return (
        group if group in dict(ROLE_FILTERS) else "",
        state if state in dict(STATUS_FILTERS) else "",
    )


def _view(request: HttpRequest, access: SchoolAccess) -> tuple[Matrix, list[Row], list, dict]:
    """The matrix as this reader may see it: (matrix, named rows, staff numbers, filters)."""
    matrix = build_matrix(school=access.school, settings=settings_for(school=access.school))
    group, state = _filters(request)
    if may_see_everyone(access):
        rows = filter_rows(matrix.rows, group=group, state=state)
        staff_numbers: list = []
    else:
        # A governor: the board by name, the staff as numbers.
        rows = filter_rows(
            [r for r in matrix.rows if r.person.is_governor], group=group, state=state
        )
        staff_numbers = matrix.summary(r for r in matrix.rows if r.person.is_staff)
    return matrix, rows, staff_numbers, {"role": group, "status": state}


def _page(
    request: HttpRequest, access: SchoolAccess
) -> tuple[Matrix, RowsPage, list, dict[str, str]]:
    """One page of the matrix for someone who sees everyone by name: the cells worked out for
    the page's people only, from their records only, unless a status is chosen (a person's
    status is known only from their cells, so then everyone's are worked out and the page cut
    from those that match). A governor's page is the whole board (a handful) and the staff's
    numbers, as _view gives them."""
    number = page_number(request.GET.get("page"))
    group, state = _filters(request)
    if not may_see_everyone(access):
        matrix, rows, staff_numbers, filters = _view(request, access)
        return matrix, rows_page(rows, number, PER_PAGE), staff_numbers, filters
    settings = settings_for(school=access.school)
    people = [
        p
        for p in people_of(school=access.school, settings=settings)
        if not group or group in p.groups
    ]
    if state:
        matrix = build_matrix(school=access.school, settings=settings, people=people)
        page = rows_page(filter_rows(matrix.rows, state=state), number, PER_PAGE)
    else:
        chosen = rows_page(people, number, PER_PAGE)
        matrix = build_matrix(school=access.school, settings=settings, people=chosen.rows)
        page = RowsPage(matrix.rows, chosen.number, chosen.size, chosen.has_next)
    return matrix, page, [], {"role": group, "status": state}


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """A row of the matrix page, its cells joined here (each distinct cell written once), not
    by an include and a lookup per cell."""

    code: str
    name: str
    cells: SafeString  # the row's <td> elements


def cell_html(cell: Cell | None) -> str:
    """What training/_cell.html renders for the cell (a test holds the two together), written
    here: a page has dozens of distinct cells (each lapse and due date), and rendering the
    template for each was a third of the page's time."""
    if cell is None:
        return '<span class="text-body-secondary" aria-label="not required">–</span>\n'
    html = (
        f'<span class="badge {escape(cell.css)}" data-state="{escape(cell.state)}">'
        f"{escape(cell.label)}</span>"
    )
    if cell.expires_on:
        html += f'<span class="d-block small">lapses {date_text(cell.expires_on, "j M Y")}</span>'
    elif cell.due_on:
        html += f'<span class="d-block small">due {date_text(cell.due_on, "j M Y")}</span>'
    if cell.awaiting_check:
        html += '<span class="d-block small fst-italic">awaiting check</span>'
    return html + "\n"


def _rows(rows: list[Row]) -> list[MatrixRow]:
    rendered: dict[Cell | None, str] = {}

    def td(cell: Cell | None) -> str:
        if cell not in rendered:
            rendered[cell] = f"<td>{cell_html(cell)}</td>"
        return rendered[cell]

    return [
        MatrixRow(str(r.person.user.code), r.person.name, SafeString("".join(map(td, r.cells))))
        for r in rows
    ]


def _caption(page: RowsPage, noun: str) -> str:
    """ "12 people", or on one of several pages "People 51 to 100; the CSV has them all" (and
    "of 112" on the last, the one page that knows)."""
    if not page.has_other_pages or not page.rows:
        return f"{len(page.rows) if page.number == 1 else 0} {noun}"
    shown = f"{noun.capitalize()} {page.start_index} to {page.end_index}"
    if page.total is not None:
        shown += f" of {page.total}"
    return shown + "; the CSV has them all"


@school_view(*MATRIX_ROLES)
def matrix(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    m, page, staff_numbers, filters = _page(request, access)
    waiting = unverified_count(access) if may_see_everyone(access) else 0
    return render(
        request,
        "training/matrix.html",
        ctx(
            access,
            matrix=m,
            rows=_rows(page.rows),
            page=page,
            caption=_caption(page, "people" if may_see_everyone(access) else "governors"),
            staff_numbers=list(zip(m.columns, staff_numbers, strict=False)),
            names_of_all=may_see_everyone(access),
            filters=filters,
            role_filters=ROLE_FILTERS if may_see_everyone(access) else _governor_filters(),
            status_filters=STATUS_FILTERS,
            waiting=waiting,
            # The filters, for the exports' links and the pager's (which adds its page).
            query=urlencode({k: v for k, v in filters.items() if v}),
        ),
    )


def _governor_filters() -> tuple:
    return (
        ("", "All governors"),
        (Group.CHAIR, Group.CHAIR.label),
        (
            Group.SAFEGUARDING_GOVERNOR,
            Group.SAFEGUARDING_GOVERNOR.label,
        ),
    )


def _cell_text(cell) -> str:
    if cell is None:
        return "not required"
    text = cell.label
    if cell.expires_on:
        text += f" (lapses {cell.expires_on:%Y-%m-%d})"
    elif cell.due_on and cell.state == "missing":
        text += f" (due {cell.due_on:%Y-%m-%d})"
    if cell.awaiting_check:
        text += "; a record awaits checking"
    return text


@school_view(*MATRIX_ROLES)
def matrix_csv(request: HttpRequest, access: SchoolAccess) -> StreamingHttpResponse:
    m, rows, staff_numbers, _filters = _view(request, access)
    export_record(actor=request.user, school=access.school, what="training_matrix", rows=len(rows))
    header = ["Name", "Roles", *[c.title for c in m.columns]]
    lines: list[list] = [header]
    for row in rows:
        lines.append(
            [row.person.name, ", ".join(sorted(row.person.roles)), *map(_cell_text, row.cells)]
        )
    if staff_numbers:
        lines.append([])
        lines.append(["Staff (numbers only)", "", *["" for _ in m.columns]])
        for state, label in STATUS_FILTERS[1:]:
            lines.append([label, "", *[counts.get(state, 0) for counts in staff_numbers]])
    return csv_download(lines, filename=f"training-matrix-{timezone.localdate():%Y-%m-%d}.csv")


@school_view(*MATRIX_ROLES)
def matrix_pdf(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    m, rows, staff_numbers, filters = _view(request, access)
    export_record(
        actor=request.user, school=access.school, what="training_matrix_pdf", rows=len(rows)
    )
    return matrix_pdf_response(
        school=access.school,
        matrix=m,
        rows=rows,
        staff_numbers=list(zip(m.columns, staff_numbers, strict=False)),
        filters=filters,
    )
