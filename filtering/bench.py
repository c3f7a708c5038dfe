"""The filtering app's rows in `make bench`."""

from esafety.bench import a_week_on, school_url
from esafety.contributions import BenchJob, BenchPage
from esafety.people.models import Role


def pages() -> tuple[BenchPage, ...]:
    return (
        BenchPage("filtering overview", Role.ONLINE_SAFETY_LEAD, school_url("filtering:overview")),
        BenchPage(
            "filtering decision log", Role.ONLINE_SAFETY_LEAD, school_url("filtering:decisions")
        ),
        BenchPage("filtering checks", Role.ONLINE_SAFETY_LEAD, school_url("filtering:checks")),
        BenchPage("weekly monitoring reports", Role.DSL, school_url("filtering:reports")),
    )


def jobs() -> tuple[BenchJob, ...]:
    from filtering import tasks

    return (
        BenchJob(
            "filtering reminders, a week on (checks due, open tasks, review)",
            a_week_on(tasks.send_filtering_reminders),
        ),
    )
