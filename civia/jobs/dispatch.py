"""Huey carries jobs to workers; the `jobs` table stays what users see.

A job's row (progress, message, checkpoint, French error, cancel flag) is written by Civia; its
Huey message carries only the job id. One Huey queue per Civia queue (`ingestion`,
`transcription`…) plus `periodic` for the plugins' periodic tasks, on one back end chosen from
the database and settings, behind Huey's one API:

- `CIVIA_REDIS_URL` set: `RedisHuey` (blocking pops, any number of machines). The queue names
  carry a digest of the database URL, so two platforms sharing one Redis never take each
  other's jobs.
- a PostgreSQL database without Redis: `PostgresHuey` in the same database (tables `huey_*`,
  LISTEN/NOTIFY wakes the workers), nothing more to run.
- a SQLite file: `SqliteHuey` in a file beside it (`<name>-huey.db`), the embedded profile.
- SQLite in memory: `MemoryHuey` (one process; tests).

A message is a hint, not the truth: a worker first moves the row from queued to running
(`queue.start`, one conditional UPDATE), so a duplicate message does nothing, and the sweep sends
a message again for a queued job whose message was lost (Redis restarted without persistence,
a restored backup).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import weakref
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from huey import Huey, MemoryHuey, PostgresHuey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper
from huey.serializer import SignedSerializer
from huey.storage import SqliteStorage
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from civia.settings import get_settings

log = logging.getLogger("civia.jobs")

JOB_TASK = "civia.job"
PERIODIC = "periodic"  # the Huey queue of the plugins' periodic tasks


class Runner(Protocol):
    """What executes a message in this thread (`civia.jobs.worker.Worker`)."""

    def run_job(self, job_id: int) -> bool: ...

    def run_periodic(self, name: str) -> bool: ...


_local = threading.local()


def bind_runner(runner: Runner | None) -> None:
    """Messages executed by this thread run on `runner` (a consumer thread binds its worker)."""
    _local.runner = runner


def current_runner() -> Runner:
    runner: Runner | None = getattr(_local, "runner", None)
    if runner is None:
        raise RuntimeError("no Civia worker bound to this thread")
    return runner


def _run_job(job_id: int) -> bool:
    return current_runner().run_job(job_id)


class Dispatcher:
    """The Huey instances of one database (one per queue), created on first use."""

    def __init__(self, engine: Engine, redis_url: str = "", secret: str = "") -> None:
        self.url = engine.url
        self.redis_url = redis_url
        self.secret = secret
        self._hueys: dict[str, Huey] = {}
        self._job_tasks: dict[str, TaskWrapper] = {}
        self._lock = threading.Lock()
        # Workers of this process sleeping on a queue (SQLite: Huey polls) wake at once.
        self._wakeups: defaultdict[str, threading.Event] = defaultdict(threading.Event)

    @property
    def backend(self) -> str:
        if self.redis_url:
            return "redis"
        if self.url.get_backend_name() == "postgresql":
            return "postgresql"
        return "sqlite" if _sqlite_file(self.url.database) else "memory"

    def huey(self, queue: str) -> Huey:
        with self._lock:
            found = self._hueys.get(queue)
            if found is None:
                found = self._hueys[queue] = self._create(queue)
                self._job_tasks[queue] = found.task(name=JOB_TASK)(_run_job)
            return found

    def _create(self, queue: str) -> Huey:
        name = f"civia.{queue}"
        options: dict[str, Any] = {"results": False}
        backend = self.backend
        if backend == "redis":
            digest = hashlib.sha256(self.url.render_as_string().encode()).hexdigest()[:10]
            # Huey pickles its messages: signed with the platform's secret, a message written
            # into Redis by anyone else is refused instead of being unpickled.
            serializer = SignedSerializer(secret=self.secret, salt="civia-jobs")
            return RedisHuey(
                f"civia.{digest}.{queue}", url=self.redis_url, serializer=serializer, **options
            )
        if backend == "postgresql":
            # No wait for the disk at each message: one lost in a server crash is sent again by
            # the sweep, one taken twice does nothing (`queue.start`).
            query = dict(self.url.query)
            extra = f"{query.pop('options', '')} -c synchronous_commit=off".strip()
            url = self.url.set(drivername="postgresql", query=query)
            dsn = url.render_as_string(hide_password=False)
            return PostgresHuey(name, dsn=dsn, options=extra, **options)
        if backend == "sqlite":
            path = Path(str(self.url.database))
            filename = str(path.with_name(f"{path.stem}-huey.db"))
            return SqliteHuey(
                name, filename=filename, timeout=30, storage_class=_SqliteStorage, **options
            )
        return MemoryHuey(name, **options)

    def send(self, queue: str, job_id: int) -> None:
        """Queue a message for job `job_id` (after the job's row is committed)."""
        huey = self.huey(queue)
        huey.enqueue(self._job_tasks[queue].task_class((job_id,), {}, id=message_id(job_id)))
        self._wakeups[queue].set()

    def waiting_ids(self, queue: str) -> set[int]:
        """The job ids of the messages waiting in `queue`."""
        return {int(task.args[0]) for task in self.huey(queue).pending() if task.args}

    def wakeup(self, queue: str) -> threading.Event:
        return self._wakeups[queue]

    def close(self) -> None:
        with self._lock:
            for huey in self._hueys.values():
                close = getattr(huey.storage, "close", None)
                if close is not None:
                    try:
                        close()
                    except Exception:  # closing on the way out: nothing to save
                        log.debug("closing the %s queue failed", huey.name, exc_info=True)
            self._hueys.clear()
            self._job_tasks.clear()


class _SqliteStorage(SqliteStorage):
    """Huey's SQLite store with the database's durability (WAL, synchronous=NORMAL: no fsync
    per message; a message lost in a power cut is sent again by the sweep)."""

    def _create_connection(self) -> Any:
        conn = super()._create_connection()
        conn.execute("pragma synchronous=NORMAL")
        return conn


def message_id(job_id: int) -> str:
    return f"job-{job_id}"


def _sqlite_file(database: str | None) -> bool:
    return bool(database) and database != ":memory:" and not str(database).startswith("file::")


_redis_urls: weakref.WeakKeyDictionary[Engine, tuple[str, str]] = weakref.WeakKeyDictionary()
_dispatchers: weakref.WeakKeyDictionary[Engine, Dispatcher] = weakref.WeakKeyDictionary()
_guard = threading.Lock()


def configure(engine: Engine, *, redis_url: str = "", secret: str = "") -> None:
    """Jobs of `engine`'s database go through Redis when `redis_url` is set (app and workers
    call this with `CIVIA_REDIS_URL`, messages signed with `secret`); otherwise the database's
    own back end."""
    with _guard:
        if _redis_urls.get(engine) == (redis_url, secret):
            return
        _redis_urls[engine] = (redis_url, secret)
        old = _dispatchers.pop(engine, None)
    if old is not None:
        old.close()


def for_engine(engine: Engine) -> Dispatcher:
    with _guard:
        found = _dispatchers.get(engine)
        if found is None:
            configured = _redis_urls.get(engine)
            if configured is None:  # a command's own engine: the platform's settings
                settings = get_settings()
                configured = (settings.redis_url, settings.secret_key)
            found = _dispatchers[engine] = Dispatcher(engine, *configured)
            event.listen(engine, "engine_disposed", lambda _engine: found.close())
        return found


def of_session(db: Session) -> Dispatcher:
    return for_engine(db.get_bind().engine)


def after_commit(db: Session, action: Callable[[Dispatcher], None]) -> None:
    """Run `action` once `db`'s transaction commits: a worker woken before would not see the
    row. A failure to reach the queue is logged; the sweep sends the message again."""
    dispatcher = of_session(db)

    def run(_session: Session) -> None:
        try:
            action(dispatcher)
        except Exception:
            log.exception("job queue unreachable; the sweep will send the message again")

    event.listen(db, "after_commit", run, once=True)
