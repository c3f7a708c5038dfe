"""Handing work to Celery without ever making a web request wait on the broker.

Every caller has already written what must happen to the database (an outbox row, a pending
import), and a beat sweep picks up anything the hand-off missed. So a failed hand-off is logged
and forgotten, and after one failure we stop trying for a while instead of paying a connect
timeout on every request while the broker is down.
"""

import logging
import threading
import time

from celery import Task

logger = logging.getLogger(__name__)

_PAUSE_SECONDS = 30.0
_lock = threading.Lock()
_paused_until = 0.0


def broker_paused() -> bool:
    return time.monotonic() < _paused_until


def reset() -> None:
    global _paused_until
    with _lock:
        _paused_until = 0.0


def enqueue(task: Task, *args) -> bool:
    """Queue task(*args) if the broker answers at once; True if it was queued."""
    global _paused_until
    if broker_paused():
        return False
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # any broker failure: the sweep will do it
        logger.warning("broker unavailable; %s left for the sweep", task.name, exc_info=True)
        with _lock:
            _paused_until = time.monotonic() + _PAUSE_SECONDS
        return False
    return True
