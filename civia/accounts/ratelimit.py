"""Failed-login throttling per account and per IP (in memory, or Redis when configured)."""

from __future__ import annotations

from limits import parse, storage, strategies

from civia.settings import Settings


class LoginLimiter:
    def __init__(self, settings: Settings) -> None:
        backend = (
            storage.storage_from_string(settings.redis_url)
            if settings.redis_url
            else storage.MemoryStorage()
        )
        self._limiter = strategies.MovingWindowRateLimiter(backend)
        self._rate = parse(settings.login_rate_limit)

    def blocked(self, login: str, ip: str) -> bool:
        return not all(
            self._limiter.test(self._rate, "login", key)
            for key in (f"u:{login.lower()}", f"ip:{ip}")
        )

    def failed(self, login: str, ip: str) -> None:
        for key in (f"u:{login.lower()}", f"ip:{ip}"):
            self._limiter.hit(self._rate, "login", key)
