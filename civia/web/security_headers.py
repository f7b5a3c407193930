"""The request id and the security headers of every response, as a plain ASGI middleware.

Starlette's `@app.middleware("http")` (BaseHTTPMiddleware) runs the app in another task and
passes every chunk of a streamed body through a memory stream: a streamed answer paid for it on
each of its tokens. Here the headers are set on the response's start message and the body
passes untouched; the request id is in the context for the whole response, streaming included.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from civia.telemetry import context

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


def apply(headers: MutableHeaders, request_id: str, *, secure: bool) -> None:
    """Set the request id and the security headers on a response's headers."""
    headers["X-Request-ID"] = request_id
    csp = headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    # A page that names who may frame it (the public assistant's embeddable page) keeps that
    # list; every other page may be framed by nobody.
    if "frame-ancestors 'none'" in csp or "frame-ancestors" not in csp:
        headers["X-Frame-Options"] = "DENY"
    if secure:  # served over HTTPS: browsers keep to it
        headers["Strict-Transport-Security"] = HSTS


class RequestIdHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # nginx's `$request_id` when it sends one: the proxy's log and ours share it.
        request_id = context.new_id(Headers(scope=scope).get("x-request-id"))
        scope.setdefault("state", {})["request_id"] = request_id
        secure = scope["app"].state.settings.secure_cookies

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                apply(MutableHeaders(scope=message), request_id, secure=secure)
            await send(message)

        token = context.request_id.set(request_id)
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            context.request_id.reset(token)
