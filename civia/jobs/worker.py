"""Workers: threads that claim jobs of their queues and run the registered handler.

The web process runs one in the background by default (embedded deployment); `civia worker`
runs the same loop in its own process, on as many machines as wanted (PostgreSQL). A running job
beats every few seconds; a job whose worker stopped beating is resumed or failed by the sweep.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from civia.db.engine import session_scope
from civia.jobs import queue
from civia.jobs.models import JobStatus
from civia.jobs.periodic import PeriodicRunner
from civia.plugins import loader
from civia.plugins.registries import Registries
from civia.settings import Settings
from civia.telemetry import context, metrics

log = logging.getLogger("civia.jobs")
UNEXPECTED_FR = (
    "Une erreur inattendue a interrompu le traitement. Les administrateurs ont été prévenus ; "
    "vous pouvez réessayer."
)
UNKNOWN_KIND_FR = "Ce type de traitement n'est pas pris en charge par ce serveur."


class JobError(Exception):
    """A job cannot complete; `message_fr` is shown to the user as is."""

    def __init__(self, message_fr: str, *, result: dict[str, Any] | None = None) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr
        self.result = result


class JobCancelled(Exception):
    """Raised by `JobContext.check_cancel` when the user asked to stop."""


class WorkerStopping(Exception):
    """Raised by `JobContext.check_cancel` when the worker shuts down: the job is handed back."""


@dataclass
class JobContext:
    """What a handler gets: its payload, a database, progress reporting and cancellation."""

    job_id: int
    kind: str
    tenant_id: int
    user_id: int | None
    payload: dict[str, Any]
    attempt: int
    sessions: sessionmaker[Session]
    settings: Settings
    registries: Registries = field(default_factory=Registries)
    _cancel: threading.Event = field(default_factory=threading.Event)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _last_report: float = 0.0
    report_every_s: float = 0.5

    def progress(self, fraction: float, message: str = "") -> None:
        """Report progress (throttled); raises JobCancelled when the user asked to stop."""
        now = time.monotonic()
        if now - self._last_report >= self.report_every_s or fraction >= 1.0:
            self._last_report = now
            with self.sessions() as db:
                if queue.report(db, self.job_id, progress=fraction, message=message):
                    self._cancel.set()
        self.check_cancel()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancel(self) -> None:
        if self._cancel.is_set():
            raise JobCancelled
        if self._stopping.is_set():
            raise WorkerStopping


# Shared by every worker of this process: a job carrying another token with our pid is a leftover
# of a previous run of this process (a container restarts with the same pid).
PROCESS_TOKEN = uuid.uuid4().hex[:8]
HOST = socket.gethostname()


def worker_name(thread: str) -> str:
    return f"{HOST}:{os.getpid()}:{PROCESS_TOKEN}:{thread}"


class Worker:
    """Threads for the given queues ({queue: threads}), plus a heartbeat and a stale sweep."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: Settings,
        queues: dict[str, int],
        *,
        poll_s: float = 2.0,
        registries: Registries | None = None,
        periodic: bool = False,
        periodic_delay_s: float = 60.0,
    ) -> None:
        """`registries`: the job kinds and governance hooks of the app this worker serves
        (default: those of the built-in and installed plugins). `periodic`: also run the
        plugins' periodic tasks (each period once across every process, see `jobs.periodic`),
        the first check `periodic_delay_s` after the start."""
        self.sessions = sessions
        self.settings = settings
        self.registries = registries or loader.load(settings)
        self.queues = queues
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running: dict[int, JobContext] = {}
        self._lock = threading.Lock()
        self.periodic = PeriodicRunner(
            sessions,
            settings,
            list(self.registries.periodic_tasks) if periodic else [],
            worker_name("periodic"),
            first_delay_s=periodic_delay_s,
        )

    # -- life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        try:
            self.sweep()
        except (OperationalError, ProgrammingError):  # not migrated yet: `civia db upgrade`
            log.warning("jobs table missing; run `civia db upgrade`")
        for name, count in self.queues.items():
            for index in range(count):
                thread = threading.Thread(
                    target=self._loop, args=(name, f"{name}-{index}"), daemon=True
                )
                thread.start()
                self._threads.append(thread)
        beat = threading.Thread(target=self._beat_loop, name="jobs-heartbeat", daemon=True)
        beat.start()
        self._threads.append(beat)
        self.periodic.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask running jobs to stop at their next check (they go back to the queue), then wait
        a little for the threads. A job that does not stop in time is resumed by the next
        start's sweep."""
        self._stop.set()
        self.periodic.stop(timeout)
        for name in self.queues:
            queue.wakeup(name).set()
        with self._lock:
            for ctx in self._running.values():
                ctx._stopping.set()
        for thread in self._threads:
            thread.join(timeout)

    # -- the work --------------------------------------------------------------------------------
    def _loop(self, queue_name: str, thread: str) -> None:
        wake = queue.wakeup(queue_name)
        while not self._stop.is_set():
            try:
                ran = self.run_once(queue_name, thread)
            except Exception:  # a database hiccup must not kill the worker thread
                log.exception("worker %s failed to claim a job", thread)
                ran = False
            if not ran:
                wake.wait(self.poll_s)
                wake.clear()

    def run_once(self, queue_name: str, thread: str = "main") -> bool:
        """Claim and run one job of `queue_name`; False when the queue is empty."""
        with self.sessions() as db:
            job = queue.claim(db, queue=queue_name, worker=worker_name(thread))
            if job is None:
                return False
            ctx = JobContext(
                job_id=job.id,
                kind=job.kind,
                tenant_id=job.tenant_id,
                user_id=job.user_id,
                payload=dict(job.payload or {}),
                attempt=job.attempts,
                sessions=self.sessions,
                settings=self.settings,
                registries=self.registries,
            )
            if job.cancel_requested:
                ctx._cancel.set()
        self._execute(ctx)
        return True

    def _execute(self, ctx: JobContext) -> None:
        # The job's logs carry the id of the request that queued it (or the job's own).
        token = context.request_id.set(
            str(ctx.payload.get(queue.REQUEST_ID_KEY) or f"job-{ctx.job_id}")
        )
        try:
            self._run(ctx)
        finally:
            context.request_id.reset(token)

    def _run(self, ctx: JobContext) -> None:
        kind = self.registries.job_kinds.get(ctx.kind)
        with self._lock:
            self._running[ctx.job_id] = ctx
        status, result, error = JobStatus.FAILED, None, UNKNOWN_KIND_FR
        started = time.monotonic()
        try:
            if kind is not None:
                ctx.check_cancel()
                result = kind.handler(ctx) or {}
                status, error = JobStatus.DONE, ""
        except JobCancelled:
            status, error = JobStatus.CANCELLED, ""
        except WorkerStopping:
            with self._lock:
                self._running.pop(ctx.job_id, None)
            with self.sessions() as db:
                queue.release(db, ctx.job_id, resumable=kind is not None and kind.resumable)
            log.info("job %s (%s) handed back at shutdown", ctx.job_id, ctx.kind)
            return
        except JobError as exc:
            status, error, result = JobStatus.FAILED, exc.message_fr, exc.result
        except Exception:
            log.exception("job %s (%s) crashed", ctx.job_id, ctx.kind)
            status, error = JobStatus.FAILED, UNEXPECTED_FR
        finally:
            with self._lock:
                self._running.pop(ctx.job_id, None)
        if ctx.cancelled() and status is not JobStatus.DONE:  # a failure caused by the stop
            status, error = JobStatus.CANCELLED, ""
        with self.sessions() as db:
            queue.finish(db, ctx.job_id, status=status, result=result, error=error)
        elapsed = time.monotonic() - started
        metrics.jobs_run.labels(ctx.kind, status.value).inc()
        if status is JobStatus.FAILED:
            metrics.errors.labels("job").inc()
        log.info("job %s (%s) %s in %.1fs", ctx.job_id, ctx.kind, status.value, elapsed)

    # -- liveness --------------------------------------------------------------------------------
    def _beat_loop(self) -> None:
        last_sweep = time.monotonic()
        while not self._stop.wait(self.settings.jobs_heartbeat_s):
            self.beat()
            if time.monotonic() - last_sweep >= self.settings.jobs_stale_after_s / 2:
                last_sweep = time.monotonic()
                try:
                    self.sweep()
                except Exception:
                    log.exception("stale job sweep failed")

    def beat(self) -> None:
        """Tell the database the running jobs are alive; pick up cancel requests."""
        with self._lock:
            running = list(self._running.values())
        for ctx in running:
            try:
                with self.sessions() as db:
                    if queue.report(db, ctx.job_id):
                        ctx._cancel.set()
            except Exception:
                log.exception("heartbeat failed for job %s", ctx.job_id)

    def sweep(self) -> dict[str, int]:
        with session_scope(self.sessions) as db:
            return queue.recover_stale(
                db,
                stale_after_s=self.settings.jobs_stale_after_s,
                resumable=self.registries.resumable(),
                is_dead=_dead_here,
            )


def _dead_here(worker: str) -> bool:
    """A job's worker that ran on this host and whose process is gone (or is a past life of
    ours): no need to wait for its heartbeat to age."""
    parts = worker.split(":")
    if len(parts) < 4 or parts[0] != HOST:
        return False
    try:
        pid = int(parts[1])
    except ValueError:
        return False
    if pid == os.getpid():
        return parts[2] != PROCESS_TOKEN
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
