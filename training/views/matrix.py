"""The compliance matrix, its CSV and its PDF.

The online safety lead, the DSL and the head see everyone by name. Governors see the governors'
rows, and the staff's only as numbers. A member of staff sees their own row on their own page.
"""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from esafety.csv_export import csv_download
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
from training.selectors.records import may_see_everyone, unverified
from training.services.common import export_record, settings_for
from training.views.common import MATRIX_ROLES, ctx

ROWS_SHOWN = 200


def _view(request: HttpRequest, access: SchoolAccess) -> tuple[Matrix, list[Row], list, dict]:
    """The matrix as this reader may see it: (matrix, named rows, staff numbers, filters)."""
    matrix = build_matrix(school=access.school, settings=settings_for(school=access.school))
    group = request.GET.get("role", "")
    state = request.GET.get("status", "")
    group = group if group in dict(ROLE_FILTERS) else ""
    state = state if state in dict(STATUS_FILTERS) else ""
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


@school_view(*MATRIX_ROLES)
def matrix(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    m, rows, staff_numbers, filters = _view(request, access)
    waiting = unverified(access)[1] if may_see_everyone(access) else 0
    return render(
        request,
        "training/matrix.html",
        ctx(
            access,
            matrix=m,
            rows=rows[:ROWS_SHOWN],
            rows_total=len(rows),
            rows_shown=ROWS_SHOWN,
            staff_numbers=list(zip(m.columns, staff_numbers, strict=False)),
            names_of_all=may_see_everyone(access),
            filters=filters,
            role_filters=ROLE_FILTERS if may_see_everyone(access) else _governor_filters(),
            status_filters=STATUS_FILTERS,
            waiting=waiting,
            query=request.GET.urlencode(),
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
