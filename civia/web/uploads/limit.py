"""The request-body limit of every route, enforced while the body is read.

Upload routes declare their own `Limit`; every other route gets `DEFAULT` (CIVIA_MAX_BODY_MB).

Starlette parses a multipart form whole (spooling its files to disk) before any route code
runs, and the CSRF check reads the form first: a size check in the route would come after the
file was on disk. `BodyLimit` counts the bytes as the app reads them instead: a declared
Content-Length over the limit is refused before anything is read, a body that grows past it is
cut off there. The refusal is an `UploadRefused` (an HTTPException) raised where the body is
read, so the app's handler answers in French, unless the route catches it to show its form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from civia.settings import Settings


class UploadRefused(HTTPException):
    """The whole request is refused; `message` is French."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message)
        self.message = message


@dataclass(frozen=True)
class Limit:
    """Request bodies on paths matching `path` (a regular expression) may not pass
    `max_bytes(settings)`; `message(settings)` tells why. Both are read at each request."""

    path: str
    max_bytes: Callable[[Settings], int]
    message: Callable[[Settings], str]


def _mb(settings: Settings) -> str:
    return f"{settings.max_body_mb:g} Mo".replace(".", ",")


DEFAULT = Limit(
    "",
    lambda s: int(s.max_body_mb * 1_000_000),
    lambda s: f"La requête dépasse la taille maximale autorisée ({_mb(s)}). Rien n'a été lu.",
)


class BodyLimit:
    """`limits`: the first whose path matches applies; else `default` (None: no limit)."""

    def __init__(
        self, app: ASGIApp, *, limits: Sequence[Limit], default: Limit | None = None
    ) -> None:
        self.app, self.limits = app, [(re.compile(limit.path), limit) for limit in limits]
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = [lim for path, lim in self.limits if path.match(scope.get("path", ""))]
        if self.default is not None:
            found.append(self.default)
        if scope["type"] != "http" or not found:
            await self.app(scope, receive, send)
            return
        settings = scope["app"].state.settings
        max_bytes = found[0].max_bytes(settings)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        too_big = declared.isdigit() and int(declared) > max_bytes
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = {} if too_big else await receive()
            seen += len(message.get("body", b""))
            if too_big or seen > max_bytes:
                raise UploadRefused(413, found[0].message(settings))
            return message

        await self.app(scope, limited, send)
