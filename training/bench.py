"""The training app's rows in `make bench`: the matrix (opened daily by the online safety
lead), the governors' view of it, a member's own page, and the reminder sweep."""

from esafety.bench import a_week_on, school_url
from esafety.contributions import BenchJob, BenchPage
from esafety.people.models import Role


def pages() -> tuple[BenchPage, ...]:
    return (
        BenchPage("training matrix", Role.ONLINE_SAFETY_LEAD, school_url("training:matrix")),
        BenchPage("training matrix (governors)", Role.GOVERNOR, school_url("training:matrix")),
        BenchPage("my training", Role.STAFF, school_url("training:mine")),
        BenchPage("engagement events", Role.ONLINE_SAFETY_LEAD, school_url("training:engagement")),
    )


def jobs() -> tuple[BenchJob, ...]:
    from training import tasks

    return (
        BenchJob(
            "training reminders, a week on (expiry, induction, weekly, term)",
            a_week_on(tasks.send_training_reminders),
        ),
    )
