"""The request id of the work in progress, for logs: set by the web middleware for a request,
by the worker for a job (the id of the request that queued it), read by the log filter."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("civia_request_id", default="")

# Accepted from a proxy's X-Request-ID: short, plain characters (never copied into logs raw).
_VALID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def new_id(incoming: str | None = None) -> str:
    """The proxy's id when it is well formed (nginx `$request_id`), else a fresh one."""
    if incoming and _VALID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex[:16]


def current() -> str:
    return request_id.get()
