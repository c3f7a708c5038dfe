"""The concerns app's rows in `make bench`."""

import datetime

from django.db.models import Count
from django.utils import timezone

from esafety.bench import school_url
from esafety.contributions import BenchJob, BenchPage
from esafety.people.models import Pupil, Role
from incidents.categories import Category
from incidents.models import Concern, Status


def _open_concern(b) -> str:
    # A concern the DSL works and may open: one that names no member of staff, in progress
    # (a tiny school may have none: then the newest open one, then any).
    workable = Concern.objects.filter(school=b.school).exclude(category=Category.STAFF_CONDUCT)
    concern = (
        workable.filter(status=Status.IN_PROGRESS).order_by("-created_at").first()
        or workable.exclude(status=Status.CLOSED).order_by("-created_at").first()
        or workable.order_by("-created_at").first()
    )
    assert concern is not None, "the benchmark's school has no concern"
    return concern.code


def _busy_pupil(b) -> str:
    # The pupil with the longest history.
    pupil = (
        Pupil.objects.filter(school=b.school)
        .annotate(n=Count("concern_links"))
        .order_by("-n", "id")
        .first()
    )
    assert pupil is not None
    return pupil.code


def _concern_form(b) -> dict:
    pupil = b.pupils[len(b.pupils) // 2]
    return {
        "category": "cyberbullying",
        "told_dsl_in_person": "no",
        "occurred_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "location": "Year 5 classroom",
        "what_happened": "Unkind messages about a pupil in the class group chat.",
        "pupil": [str(pupil.code)],
        f"role_{pupil.code}": "affected",
    }


def pages() -> tuple[BenchPage, ...]:
    return (
        BenchPage("DSL dashboard", Role.DSL, school_url("incidents:dashboard")),
        BenchPage("concern list", Role.DSL, school_url("incidents:concern_list")),
        BenchPage(
            "concern list, filtered (the script's)",
            Role.DSL,
            school_url("incidents:dashboard_list"),
        ),
        BenchPage("concern detail", Role.DSL, school_url("incidents:detail", code=_open_concern)),
        BenchPage("reporter's list", Role.STAFF, school_url("incidents:mine")),
        BenchPage("the form to log a concern", Role.STAFF, school_url("incidents:new")),
        BenchPage("chronology", Role.DSL, school_url("incidents:chronology", code=_busy_pupil)),
        BenchPage(
            "log a concern (POST)",
            Role.STAFF,
            school_url("incidents:new"),
            "POST",
            _concern_form,
        ),
    )


def jobs() -> tuple[BenchJob, ...]:
    from incidents import tasks

    return (BenchJob("escalation (unacknowledged concerns)", tasks.escalate_unacknowledged),)
