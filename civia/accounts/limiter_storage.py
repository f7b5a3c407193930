"""Where rate-limit counters live: Redis when CIVIA_REDIS_URL is set (shared by every process),
else this process's memory."""

from __future__ import annotations

from limits import storage

from civia.settings import Settings


def storage_for(settings: Settings) -> storage.Storage:
    if settings.redis_url:
        return storage.RedisStorage(settings.redis_url)
    return storage.MemoryStorage()
