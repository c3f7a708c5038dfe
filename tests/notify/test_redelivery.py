"""A sweep killed mid-run (kill -9 on the worker) resumes within minutes, and finishes the work.

At most the messages of the outbox batch being sent when the worker died (SWEEP_BATCH, 20) go out
a second time, once their claim times out: sent but not yet marked sent. Everything else goes
out once.

Three things make it so, each checked here against the real settings and beat schedule:
- tasks are acknowledged late and rejected back to the queue when their pool process dies;
- a Redis broker redelivers a task whose whole worker was killed after ten minutes (kombu's
  default is an hour), which is longer than every late-acknowledged task may run, so a running
  task is never handed to a second worker;
- every sweep is on beat at least every ten minutes while it has work, and is idempotent (claimed
  rows, keyed reminders), so the next run finishes what the killed one left.
That the sweeps send once when run twice is tested with each sweep (test_outbox, test_periodic).
"""

import datetime
import runpy
import zoneinfo

import pytest
from celery.schedules import crontab

import esafety.settings
from esafety.celery import app

LONDON = zoneinfo.ZoneInfo("Europe/London")
RESUME_WITHIN = datetime.timedelta(minutes=10)


@pytest.fixture
def redis_settings(monkeypatch) -> dict:
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
    return runpy.run_path(esafety.settings.__file__)


def _our_tasks():
    app.loader.import_default_modules()
    return [
        task
        for name, task in sorted(app.tasks.items())
        if name.split(".")[0] in ("esafety", "incidents", "policies")
    ]


def test_a_task_whose_worker_dies_goes_back_to_the_queue(redis_settings):
    assert redis_settings["CELERY_TASK_ACKS_LATE"] is True
    assert redis_settings["CELERY_TASK_REJECT_ON_WORKER_LOST"] is True
    assert redis_settings["CELERY_WORKER_PREFETCH_MULTIPLIER"] == 1


def test_a_killed_workers_task_is_redelivered_within_ten_minutes(redis_settings):
    timeout = redis_settings["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"]
    assert timeout <= RESUME_WITHIN.total_seconds()
    late = [t for t in _our_tasks() if t.acks_late]
    assert {t.name for t in late} >= {
        "esafety.notify.tasks.sweep_outbox",
        "esafety.notify.tasks.send_message",
        "incidents.tasks.escalate_unacknowledged",
        "policies.tasks.send_policy_reminders",
    }
    for task in late:
        limit = task.time_limit or redis_settings["CELERY_TASK_TIME_LIMIT"]
        # Still running at the timeout would mean a second worker running it too.
        assert limit < timeout, f"{task.name} may run {limit} s, past the visibility timeout"


def test_the_nightly_check_is_the_one_task_acknowledged_early():
    early = [t.name for t in _our_tasks() if not t.acks_late]
    assert early == ["esafety.audit.tasks.verify_chain"]


def _longest_gap(schedule, start: datetime.datetime, end: datetime.datetime) -> datetime.timedelta:
    """The longest wait between two runs of a beat entry from start to end."""
    if not isinstance(schedule, crontab):
        return datetime.timedelta(seconds=schedule)
    count = int((end - start).total_seconds() // 60) + 1
    minutes = (start + datetime.timedelta(minutes=i) for i in range(count))
    runs = [at for at in minutes if at.minute in schedule.minute and at.hour in schedule.hour]
    assert runs and runs[0] == start, "it does not run at the start of the day"
    return max(b - a for a, b in zip(runs, [*runs[1:], end], strict=True))


@pytest.mark.parametrize(
    "entry",
    [
        "notify-sweep-outbox",
        "people-sweep-roster-imports",
        "incidents-escalate-unacknowledged",
        "policies-reminders",
    ],
)
def test_every_sweep_runs_again_within_ten_minutes_while_it_has_work(entry):
    schedule = app.conf.beat_schedule[entry]["schedule"]
    # The reminders run in the school day (07:00 to 21:50); the others all day and night.
    day = datetime.datetime(2026, 11, 9, 7, 0, tzinfo=LONDON)
    assert _longest_gap(schedule, day, day.replace(hour=21, minute=50)) <= RESUME_WITHIN
