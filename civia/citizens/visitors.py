"""Per-visitor rate limits without keeping who the visitor is: the counters live in the
limiter storage shared with logins and the API (memory, or Redis), keyed by an HMAC of the
client address with the secret key and the day — never the address itself, and nothing in the
database. A collectivité-wide limit protects the model from a crowd."""

from __future__ import annotations

import hashlib
import hmac
import math
import time

from limits import parse, strategies

from civia.accounts.limiter_storage import storage_for
from civia.settings import Settings


class Limited(Exception):
    def __init__(self, retry_after: int, message_fr: str) -> None:
        super().__init__(message_fr)
        self.retry_after = retry_after
        self.message_fr = message_fr


def visitor_key(secret: str, address: str, day: str) -> str:
    """Pseudonymous and changing every day: the same visitor cannot be followed over days."""
    digest = hmac.new(secret.encode(), f"{day}|{address}".encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


class VisitorLimiter:
    def __init__(self, settings: Settings) -> None:
        self.secret = settings.secret_key
        self.limiter = strategies.MovingWindowRateLimiter(storage_for(settings))
        self.visitor = parse(settings.citizen_rate_limit)
        self.tenant = parse(settings.citizen_tenant_rate_limit)

    def _retry(self, item: object, *keys: str) -> int:
        stats = self.limiter.get_window_stats(item, *keys)  # type: ignore[arg-type]
        return max(1, math.ceil(stats.reset_time - time.time()))

    def admit(self, tenant_slug: str, address: str, action: str = "question") -> None:
        """Count one request, or raise `Limited` with a French message."""
        day = time.strftime("%Y-%m-%d", time.gmtime())
        who = visitor_key(self.secret, address, day)
        if not self.limiter.hit(self.visitor, "citoyens", tenant_slug, action, who):
            wait = self._retry(self.visitor, "citoyens", tenant_slug, action, who)
            raise Limited(
                wait,
                f"Vous avez envoyé beaucoup de demandes : réessayez dans {wait} secondes.",
            )
        if not self.limiter.hit(self.tenant, "citoyens-collectivite", tenant_slug):
            wait = self._retry(self.tenant, "citoyens-collectivite", tenant_slug)
            raise Limited(
                wait,
                "L'assistant reçoit beaucoup de questions en ce moment : réessayez dans "
                f"{wait} secondes, ou écrivez à un agent.",
            )
