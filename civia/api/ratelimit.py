"""The API's rate limit per token (CIVIA_API_RATE_LIMIT), checked before the body is read.

Requests are counted per token (by its hash: the token itself never reaches the counters'
storage); a request without a bearer token is refused by the API anyway and is not counted.
Over the limit: 429 with Retry-After and a French message in the OpenAI error format."""

from __future__ import annotations

import json
import math
import time

from limits import parse, strategies
from starlette.types import ASGIApp, Receive, Scope, Send

from civia.accounts.limiter_storage import storage_for
from civia.accounts.tokens import digest
from civia.settings import Settings

PREFIX = "/v1/"


class ApiRateLimit:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.limiter = strategies.MovingWindowRateLimiter(storage_for(settings))
        self.rate = parse(settings.api_rate_limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _bearer(scope) if scope["type"] == "http" else ""
        if not token or not scope.get("path", "").startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        key = digest(token)
        if self.limiter.hit(self.rate, "api", key):
            await self.app(scope, receive, send)
            return
        reset = self.limiter.get_window_stats(self.rate, "api", key).reset_time
        wait = max(1, math.ceil(reset - time.time()))
        unit = _UNITS.get(self.rate.GRANULARITY.name, self.rate.GRANULARITY.name)
        per = f"{self.rate.multiples} {unit}s" if self.rate.multiples > 1 else unit
        await _too_many(send, wait, self.rate.amount, per)


def _bearer(scope: Scope) -> str:
    header = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


_UNITS = {"second": "seconde", "minute": "minute", "hour": "heure", "day": "jour"}


async def _too_many(send: Send, wait: int, amount: int, per: str) -> None:
    message = (
        f"Trop de requêtes avec ce jeton d'API (au plus {amount} par {per}) : "
        f"réessayez dans {wait} s."
    )
    body = json.dumps(
        {"error": {"message": message, "type": "rate_limit_error", "code": 429}},
        ensure_ascii=False,
    ).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(wait).encode()),
    ]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})
