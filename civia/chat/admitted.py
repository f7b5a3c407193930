"""The streamed answer (SSE) of a call its route admitted: the admission's hold is given back
whatever way the response ends."""

from __future__ import annotations

from collections.abc import AsyncIterable

import anyio
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from civia.chat.gateway import Admission, give_back


class AdmittedStream(StreamingResponse):
    """`text/event-stream`, not cached. Once the response ends — the answer streamed, the
    client gone before it started, an error, a server that raises on `send` (ASGI 2.4, where
    Starlette skips a response's background task) — its body is closed (the call's usage is
    recorded now, not when the generator is collected) and an admission the body never
    streamed gives its hold back. No background task: a streamed call pays no thread hop for
    it (`give_back` takes one only when there is a hold to return)."""

    def __init__(self, content: AsyncIterable[str], admission: Admission) -> None:
        super().__init__(
            content, media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )
        self.admission = admission

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            try:
                aclose = getattr(self.body_iterator, "aclose", None)
                if aclose is not None:
                    with anyio.CancelScope(shield=True):
                        await aclose()
            finally:
                await give_back(self.admission)
