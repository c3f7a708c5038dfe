"""Periodic tasks handle each school, concern, message or import on its own.

A beat task loops over every school's work. One bad row (a school's settings, a concern whose
routing fails) must not stop the escalations and reminders of every other school, so each item
runs alone: a failure is logged and the item is left for the next run, which retries it (every
item's work is idempotent: claimed rows and keyed reminders).

The log line names the item by id and says what was raised and where, but never carries the
exception's full text: PostgreSQL's DETAIL ("Failing row contains ...") and a validation message
can quote a row, and a row can hold a child's name.
"""

import logging
import traceback
from collections.abc import Callable, Iterable
from typing import TypeVar

from celery.exceptions import SoftTimeLimitExceeded

logger = logging.getLogger(__name__)

Item = TypeVar("Item")

# The first line of a message is enough to tell one failure from another; the rest is detail.
MESSAGE_CHARS = 200
FRAMES = 3


def describe_exception(e: BaseException) -> str:
    """The exception's class, its message's first line and the innermost frames it came from."""
    lines = str(e).strip().splitlines()
    first = lines[0][:MESSAGE_CHARS] if lines else ""
    frames = traceback.extract_tb(e.__traceback__)[-FRAMES:]
    where = " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in frames[::-1])
    return f"{type(e).__module__}.{type(e).__qualname__}: {first} (at {where})"


def each(items: Iterable[Item], handle: Callable[[Item], int], *, task: str, what: str) -> int:
    """handle(item) for every item, each on its own; the sum of what the handled ones returned.

    items are ids (never objects whose str() might be a person's name): they go in the log.
    """
    done = 0
    failed = 0
    for item in items:
        try:
            done += handle(item)
        except SoftTimeLimitExceeded:
            # The task's time is up: the rest wait for the next run, like the failed ones.
            raise
        except Exception as e:
            failed += 1
            logger.error(
                "%s: %s %s failed and is left for the next run: %s",
                task,
                what,
                item,
                describe_exception(e),
            )
    if failed:
        logger.warning(
            "%s: %s %s(s) failed; the others went on (%s done)", task, failed, what, done
        )
    return done
