"""A cache that keeps working while Redis is down: Redis first, the database cache after.

The cache holds allauth's sign-in rate limits. When Redis went away, every sign-in raised and
nobody could sign in. Now a Redis that does not answer (refused, or silent past a short
timeout) sends the call to the database cache, which every web process shares, so the lock-out
after five failed sign-ins still holds across processes. After one failure Redis is left alone
for a while instead of paying its timeout on every request.

Counts start afresh on the other side of a fail-over (Redis's are out of reach): an attacker
gains at most one more allowance of attempts per outage, never an unlimited number.
"""

import logging
import threading
import time
from typing import Any

import redis
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

logger = logging.getLogger(__name__)

# Connection failures only: a Redis that answers with an error is a bug, not an outage.
OUTAGE_ERRORS = (redis.ConnectionError, redis.TimeoutError)


class FailoverCache(BaseCache):
    """OPTIONS: PRIMARY and FALLBACK, the aliases of two other caches in CACHES."""

    PAUSE_SECONDS = 30.0

    def __init__(self, location: str, params: dict) -> None:
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self._primary_alias = options["PRIMARY"]
        self._fallback_alias = options["FALLBACK"]
        self._lock = threading.Lock()
        self._paused_until = 0.0

    def primary_paused(self) -> bool:
        return time.monotonic() < self._paused_until

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if not self.primary_paused():
            try:
                return getattr(caches[self._primary_alias], method)(*args, **kwargs)
            except OUTAGE_ERRORS as e:
                with self._lock:
                    self._paused_until = time.monotonic() + self.PAUSE_SECONDS
                logger.warning(
                    "cache %r unavailable (%s); using %r for %ss",
                    self._primary_alias,
                    type(e).__name__,
                    self._fallback_alias,
                    self.PAUSE_SECONDS,
                )
        return getattr(caches[self._fallback_alias], method)(*args, **kwargs)

    # Keys, versions and timeouts are the underlying caches' own: everything is passed through.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        return self._call("clear")

    def close(self, **kwargs):
        # Django closes every cache alias after each request, the two underneath included.
        pass
