"""Counts and times every HTTP request per route template (`/conversations/{conversation_id}`,
never the ids or the query string), to the last byte of streamed answers, and writes the access
log line of the JSON logs (method, route template, status, duration: no ids, no query string,
no client address — a survey's or a link's token never reaches the logs)."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from civia.telemetry import metrics

access_log = logging.getLogger("civia.access")
UNMATCHED = "<autre>"  # unknown URLs share one label: scanners cannot blow up the series


def route_of(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    if scope.get("path", "").startswith("/static/"):
        return "/static"
    return UNMATCHED


class HttpMetrics:
    def __init__(self, app: ASGIApp, *, access: bool = False) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # an exception before any answer is a server error
        finished = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, finished
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                finished = True

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            self._observe(scope, status, time.perf_counter() - start, finished)

    def _observe(self, scope: Scope, status: int, seconds: float, finished: bool) -> None:
        method, route = scope["method"], route_of(scope)
        metrics.http_requests.labels(method, route, str(status)).inc()
        metrics.http_latency.labels(method, route).observe(seconds)
        if status >= 500:
            metrics.errors.labels("http").inc()
        if self.access:
            extra: dict[str, Any] = {
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
                "complete": finished,
            }
            access_log.info("%s %s %s", method, route, status, extra=extra)
