"""Refuse an oversized upload to an assistant before it is read (nor spooled to disk).

The form parser runs early (the CSRF check reads the form), so the limit has to be enforced
below it: by the declared Content-Length first, then by counting the bytes of a body sent
without one. Only multipart POSTs under /assistants/ and /resultats/ are concerned.
"""

from __future__ import annotations

from html import escape
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIXES = ("/assistants/", "/resultats/")
MARGIN = 1_000_000  # the form's other fields and the multipart framing


class TooLarge(Exception):
    pass


def message_fr(limit: int) -> str:
    return (
        f"Le fichier envoyé dépasse la taille maximale acceptée ({limit // 1_000_000} Mo). "
        "Revenez au formulaire (vos saisies y sont restées dans votre navigateur) et déposez un "
        "fichier plus petit, ou découpez-le."
    )


class UploadLimit:
    def __init__(self, app: ASGIApp, *, settings: Any) -> None:
        self.app, self.settings = app, settings  # read at each request: settings can change

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._concerned(scope):
            await self.app(scope, receive, send)
            return
        max_bytes = int(self.settings.assistant_upload_max_mb) * 1_000_000
        limit = max_bytes + MARGIN
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, max_bytes)
            return
        received = 0
        started = False

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, tracking)
        except TooLarge:
            if not started:
                await _refuse(send, max_bytes)

    @staticmethod
    def _concerned(scope: Scope) -> bool:
        if scope["type"] != "http" or scope.get("method") != "POST":
            return False
        if not str(scope.get("path", "")).startswith(PREFIXES):
            return False
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
        return content_type.startswith(b"multipart/form-data")


async def _refuse(send: Send, limit: int) -> None:
    body = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Fichier trop '
        f'volumineux</title></head><body><main><h1>Fichier trop volumineux</h1><p role="alert">'
        f"{escape(message_fr(limit))}</p></main></body></html>"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
