"""What the current request is, for services that write audit events without taking a request.

Services stay free of HTTP: the middleware sets these, audit reads them.
"""

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str
    ip: str | None


_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar(
    "esafety_request", default=None
)


def current_request() -> RequestInfo | None:
    return _current.get()


def set_request(info: RequestInfo | None) -> contextvars.Token:
    return _current.set(info)


def reset_request(token: contextvars.Token) -> None:
    _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex
