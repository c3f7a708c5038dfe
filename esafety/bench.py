"""Helpers for the apps' `make bench` rows (esafety.contributions.BenchPage): a school page's URL,
and a job run a week on. Imported only by the apps' bench modules, which only the benchmark
imports."""

import datetime
from collections.abc import Callable

from django.urls import reverse


def school_url(name: str, **kwargs: Callable) -> Callable:
    """The URL of a school page; each keyword is (BenchSchool) -> the value of that URL part."""
    return lambda b: reverse(
        name, kwargs={"school": b.school.code, **{k: f(b) for k, f in kwargs.items()}}
    )


WEEK_ON = datetime.timedelta(days=8)


def a_week_on(task: Callable[[], object], later: datetime.timedelta = WEEK_ON) -> Callable:
    """The task, run as if `later` had passed since the data was built (everyone joined and
    everything was published then, so reminders a week on are all due)."""
    import time_machine

    def run() -> object:
        with time_machine.travel(datetime.datetime.now(datetime.UTC) + later, tick=True):
            return task()

    return run
