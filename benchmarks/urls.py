"""The benchmark's URLconf: every product page, plus the two floors each page is measured against.

The floors are the least a signed-in page can cost in this stack (the same middleware: session,
user, CSRF, messages, MFA and idle checks; the same base template with its context processors).
They live here and never in esafety/urls.py: they are yardsticks, not pages.
"""

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import require_POST

FLOOR_TABLE = "bench_floor_insert"


@login_required
def floor_page(request: HttpRequest) -> HttpResponse:
    # The base layout, for a signed-in member, with nothing in it.
    return render(request, "base.html", {})


@require_POST
@login_required
def floor_insert(request: HttpRequest) -> HttpResponse:
    # One INSERT in its own transaction, then the redirect every form POST answers with.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (member_id, at) VALUES (%s, %s)",  # noqa: S608
            [request.user.pk, timezone.now()],
        )
    return redirect("bench_floor_page")


def create_floor_table() -> None:
    postgres = connection.vendor == "postgresql"
    serial, moment = ("bigserial", "timestamptz") if postgres else ("integer", "timestamp")
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} "
            f"(id {serial} PRIMARY KEY, member_id bigint NOT NULL, at {moment} NOT NULL)"
        )


urlpatterns = [
    path("bench/floor/", floor_page, name="bench_floor_page"),
    path("bench/floor/insert/", floor_insert, name="bench_floor_insert"),
    path("", include("esafety.urls")),
]
