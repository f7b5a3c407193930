"""Stopping a generation from any process. The stop request is written on the answer's row
(`messages.stop_requested`), so the app process that streams the answer sees it even when the
click reached another process behind the load balancer; with `CIVIA_REDIS_URL`, a Redis key is
set too and the streaming process polls that instead of the database. Redis unreachable (a
restart) costs nothing but the shortcut: the row's flag is always written and read instead."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from civia.chat.models import Message

log = logging.getLogger("civia.chat")
POLL_S = 0.25  # how often the streaming process looks (a stop is seen within this delay)
KEY_TTL_S = 3600


def _key(message_id: int) -> str:
    return f"civia:stop:{message_id}"


def _redis(url: str) -> Any:
    import redis  # deferred: optional, only with CIVIA_REDIS_URL

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _redis_error() -> type[Exception]:
    import redis

    return redis.RedisError


def request_stop(db: Session, message_id: int, *, redis_url: str = "") -> None:
    """Ask for the generation of `message_id` to stop (the caller checked the ownership)."""
    db.execute(update(Message).where(Message.id == message_id).values(stop_requested=True))
    if redis_url:
        try:
            _redis(redis_url).set(_key(message_id), 1, ex=KEY_TTL_S)
        except _redis_error() as exc:  # the row's flag is read when Redis cannot be
            log.warning("stop signal not sent through Redis: %s", type(exc).__name__)


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
        self._redis_failed = False  # then the row is read until the answer ends

    def _look(self) -> bool:
        if self.redis_url and not self._redis_failed:
            try:
                return bool(_redis(self.redis_url).exists(_key(self.message_id)))
            except _redis_error() as exc:  # a stop sent meanwhile went to the row: read it
                log.warning("stop signal read from the database: %s", type(exc).__name__)
                self._redis_failed = True
        try:
            with self.sessions() as db:
                return bool(
                    db.scalar(select(Message.stop_requested).where(Message.id == self.message_id))
                )
        except SQLAlchemyError as exc:  # the database restarting: look again at the next poll
            log.warning("stop signal not readable: %s", type(exc).__name__)
            return False

    def clear(self) -> None:
        """Forget the Redis key once the answer is finished (a regenerated answer may get the
        same id on SQLite); the row's flag goes with the row."""
        if self.redis_url:
            with contextlib.suppress(_redis_error()):  # else it expires (KEY_TTL_S)
                _redis(self.redis_url).delete(_key(self.message_id))

    async def requested(self) -> bool:
        if self._stopped:
            return True
        now = time.monotonic()
        if now >= self._next:
            self._next = now + POLL_S
            self._stopped = await asyncio.to_thread(self._look)
        return self._stopped
