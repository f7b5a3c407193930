"""Stopping a generation from any process. The stop request is written on the answer's row
(`messages.stop_requested`), so the app process that streams the answer sees it even when the
click reached another process behind the load balancer; with `CIVIA_REDIS_URL`, a Redis key is
set too and the streaming process polls that instead of the database."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from civia.chat.models import Message

POLL_S = 0.25  # how often the streaming process looks (a stop is seen within this delay)
KEY_TTL_S = 3600


def _key(message_id: int) -> str:
    return f"civia:stop:{message_id}"


def _redis(url: str) -> Any:
    import redis  # deferred: optional, only with CIVIA_REDIS_URL

    return redis.Redis.from_url(url)


def request_stop(db: Session, message_id: int, *, redis_url: str = "") -> None:
    """Ask for the generation of `message_id` to stop (the caller checked the ownership)."""
    db.execute(update(Message).where(Message.id == message_id).values(stop_requested=True))
    if redis_url:
        _redis(redis_url).set(_key(message_id), 1, ex=KEY_TTL_S)


class StopWatch:
    """Polled by the streaming loop: `await watch.requested()` between chunks."""

    def __init__(
        self, sessions: sessionmaker[Session], message_id: int, *, redis_url: str = ""
    ) -> None:
        self.sessions = sessions
        self.message_id = message_id
        self.redis_url = redis_url
        self._next = 0.0
        self._stopped = False

    def _look(self) -> bool:
        if self.redis_url:
            return bool(_redis(self.redis_url).exists(_key(self.message_id)))
        with self.sessions() as db:
            return bool(
                db.scalar(select(Message.stop_requested).where(Message.id == self.message_id))
            )

    def clear(self) -> None:
        """Forget the Redis key once the answer is finished (a regenerated answer may get the
        same id on SQLite); the row's flag goes with the row."""
        if self.redis_url:
            _redis(self.redis_url).delete(_key(self.message_id))

    async def requested(self) -> bool:
        if self._stopped:
            return True
        now = time.monotonic()
        if now >= self._next:
            self._next = now + POLL_S
            self._stopped = await asyncio.to_thread(self._look)
        return self._stopped
