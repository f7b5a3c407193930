"""A request-body limit for upload routes, enforced while the body is read.

Starlette parses a multipart form whole (spooling files to disk) before any route code runs,
and the CSRF check reads the form first: a size check in the route would come after the file
was on disk. This ASGI middleware counts the bytes as they arrive instead: a declared
Content-Length above the limit is refused before anything is read, and a body that grows past
it is cut off at that point. The refusal is an `HTTPException(413)` raised where the app reads
the body, so the app's own handler answers in French.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FORM_OVERHEAD = 64 * 1024  # the multipart envelope and the other fields of the form


class BodyLimit:
    def __init__(
        self, app: ASGIApp, *, path: re.Pattern[str], limit: Callable[[Scope], int], message: str
    ) -> None:
        self.app, self.path, self.limit, self.message = app, path, limit, message

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not self.path.match(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope) + FORM_OVERHEAD
        declared = dict(scope["headers"]).get(b"content-length", b"")
        too_big = declared.isdigit() and int(declared) > limit
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            if too_big:
                raise HTTPException(413, self.message)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, self.message)
            return message

        await self.app(scope, limited, send)
