"""Where rate-limit counters live: Redis when CIVIA_REDIS_URL is set (shared by every process),
else this process's memory. While Redis cannot be reached (a restart), counting goes on in the
process's memory: logins, quotas and API limits keep holding, per process for that while,
instead of every login and call answering 500."""

from __future__ import annotations

import logging
import time
from typing import Any

from limits import storage

from civia.settings import Settings

log = logging.getLogger("civia.accounts")


class RedisOrMemory(storage.Storage, storage.MovingWindowSupport):
    STORAGE_SCHEME = None  # built here, never from a URI

    # After a failure Redis is left alone for this long: asking it again on every call would
    # cost each request its connection timeout (2 s) while Redis is away.
    RETRY_AFTER_S = 15.0

    def __init__(self, url: str) -> None:
        super().__init__()
        self.redis = storage.RedisStorage(url, socket_timeout=2, socket_connect_timeout=2)
        self.memory = storage.MemoryStorage()
        self.away_until = 0.0

    @property
    def base_exceptions(self) -> tuple[type[Exception], ...]:
        return ()  # nothing escapes: Redis's errors are answered from memory

    def _call(self, method: str, *args: Any) -> Any:
        if time.monotonic() >= self.away_until:
            try:
                return getattr(self.redis, method)(*args)
            except self.redis.base_exceptions as exc:
                self.away_until = time.monotonic() + self.RETRY_AFTER_S
                log.warning(
                    "Redis unreachable, rate limits counted in memory for %.0f s: %s",
                    self.RETRY_AFTER_S,
                    type(exc).__name__,
                )
        return getattr(self.memory, method)(*args)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return int(self._call("incr", key, expiry, amount))

    def get(self, key: str) -> int:
        return int(self._call("get", key))

    def get_expiry(self, key: str) -> float:
        return float(self._call("get_expiry", key))

    def check(self) -> bool:
        return bool(self._call("check"))

    def reset(self) -> int | None:
        return self._call("reset")

    def clear(self, key: str) -> None:
        self._call("clear", key)

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        return bool(self._call("acquire_entry", key, limit, expiry, amount))

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        start, count = self._call("get_moving_window", key, limit, expiry)
        return float(start), int(count)


def storage_for(settings: Settings) -> storage.Storage:
    if settings.redis_url:
        return RedisOrMemory(settings.redis_url)
    return storage.MemoryStorage()
