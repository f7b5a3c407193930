"""Workers: Huey consumers whose threads run the job kinds' handlers on Civia's job rows.

The web process runs one in the background by default (embedded deployment, no other process);
`civia worker` runs the same in its own process, on as many machines as wanted (PostgreSQL or
Redis). Each Civia queue gets a Huey consumer with as many threads as configured; with
`periodic=True`, a consumer of the `periodic` queue runs Huey's scheduler, which enqueues the
plugins' periodic tasks every minute (each period runs once across replicas: `jobs.periodic`).
A running job beats every few seconds; a job whose worker stopped beating is resumed from its
checkpoint or failed with a French reason by the sweep, never left running.
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

from huey.consumer import Consumer, Scheduler
from huey.consumer import Worker as HueyWorker
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from civia.db.engine import session_scope
from civia.jobs import dispatch, periodic, queue
from civia.jobs.models import JobStatus
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


class _ConsumerThread(HueyWorker):
    """A Huey worker thread bound to its Civia worker; while the queue is empty it sleeps until
    a job of this process is queued (or its poll delay passes: jobs queued by others)."""

    delay: float
    default_delay: float
    max_delay: float
    backoff: float

    def __init__(
        self, huey: Any, runner: Worker, wake: threading.Event, name: str, **options: Any
    ) -> None:
        super().__init__(huey, **options)
        self.runner, self.wake, self.thread_name = runner, wake, name

    def initialize(self) -> None:
        threading.current_thread().name = self.thread_name
        dispatch.bind_runner(self.runner)
        super().initialize()

    def sleep(self) -> None:
        delay = min(self.delay, self.max_delay)
        if self.wake.wait(delay):
            self.wake.clear()
            self.delay = self.default_delay
        else:
            self.delay = delay * self.backoff


class _Consumer(Consumer):
    """Huey's consumer, started inside a Civia process: no signal handlers (the process owns
    them), a scheduler only for the periodic queue, the first periodic check after a delay."""

    def __init__(
        self, huey: Any, runner: Worker, queue_name: str, *, first_check_s: float, **options: Any
    ) -> None:
        self.runner, self.queue_name, self.first_check_s = runner, queue_name, first_check_s
        self._index = 0
        super().__init__(huey, **options)

    def _create_worker(self) -> HueyWorker:
        name = f"{self.queue_name}-{self._index}"
        self._index += 1
        return _ConsumerThread(
            self.huey,
            self.runner,
            self.runner.dispatcher.wakeup(self.queue_name),
            name,
            stop_flag=self.stop_flag,
            default_delay=self.default_delay,
            max_delay=self.max_delay,
            backoff=self.backoff,
            max_tasks=self.max_tasks,
        )

    def _create_scheduler(self) -> Scheduler:
        scheduler = super()._create_scheduler()
        scheduler._next_periodic = time.monotonic() + self.first_check_s
        return scheduler

    def start(self) -> None:
        if self.periodic:
            self.scheduler.start()
        for _, thread in self.worker_threads:
            thread.start()

    def threads(self) -> list[threading.Thread]:
        """The worker threads (the scheduler, asleep up to its interval, stops by itself)."""
        return [thread for _, thread in self.worker_threads]


class Worker:
    """Huey consumers for the given queues ({queue: threads}), plus a heartbeat and a sweep."""

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
        (default: those of the built-in and installed plugins). `poll_s`: the longest wait
        before looking again at an empty queue fed by other processes (SQLite; Redis and
        PostgreSQL wake workers at once). `periodic`: also run the plugins' periodic tasks
        (each period once across every process, see `jobs.periodic`), the first check
        `periodic_delay_s` after the start."""
        self.sessions = sessions
        self.settings = settings
        self.registries = registries or loader.load(settings)
        self.queues = queues
        self.poll_s = poll_s
        engine = sessions.kw["bind"]
        dispatch.configure(engine, redis_url=settings.redis_url, secret=settings.secret_key)
        self.dispatcher = dispatch.for_engine(engine)
        self.periodic_tasks = list(self.registries.periodic_tasks) if periodic else []
        self.periodic_delay_s = periodic_delay_s
        self._stop = threading.Event()
        self._consumers: list[_Consumer] = []
        self._threads: list[threading.Thread] = []
        self._running: dict[int, JobContext] = {}
        self._lock = threading.Lock()

    # -- life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        try:
            self.sweep()
        except (OperationalError, ProgrammingError):  # not migrated yet: `civia db upgrade`
            log.warning("jobs table missing; run `civia db upgrade`")
        for name, count in self.queues.items():
            if count > 0:
                self._consume(name, workers=count)
        if self.periodic_tasks:
            huey = self.dispatcher.huey(dispatch.PERIODIC)
            for task in self.periodic_tasks:
                periodic.schedule(huey, task.name)
            self._consume(dispatch.PERIODIC, workers=1, scheduler=True)
        beat = threading.Thread(target=self._beat_loop, name="jobs-heartbeat", daemon=True)
        beat.start()
        self._threads.append(beat)

    def _consume(self, name: str, *, workers: int, scheduler: bool = False) -> None:
        consumer = _Consumer(
            self.dispatcher.huey(name),
            self,
            name,
            first_check_s=self.periodic_delay_s,
            workers=workers,
            periodic=scheduler,
            initial_delay=0.05,
            max_delay=self.poll_s,
            scheduler_interval=5,
            check_worker_health=False,
        )
        consumer.start()
        self._consumers.append(consumer)

    def stop(self, timeout: float = 5.0) -> None:
        """Ask running jobs to stop at their next check (they go back to the queue), then wait
        for the threads, `timeout` seconds in all (a service manager kills a process that
        takes longer than its own stop timeout). A job that does not stop in time is resumed
        by the next start's sweep."""
        self._stop.set()
        for consumer in self._consumers:
            consumer.stop_flag.set()
            self.dispatcher.wakeup(consumer.queue_name).set()
        with self._lock:
            for ctx in self._running.values():
                ctx._stopping.set()
        deadline = time.monotonic() + timeout
        for thread in [t for c in self._consumers for t in c.threads()] + self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    # -- the work --------------------------------------------------------------------------------
    def run_once(self, queue_name: str, thread: str = "main") -> bool:
        """Take messages of `queue_name` until one runs a job (in this thread); False when the
        queue holds none that does."""
        huey = self.dispatcher.huey(queue_name)
        dispatch.bind_runner(self)
        _thread_state.thread = thread
        try:
            while huey.pending_count():
                task = huey.dequeue()
                if task is None:
                    return False
                _thread_state.ran = False
                huey.execute(task)
                if _thread_state.ran:
                    return True
            return False
        finally:
            dispatch.bind_runner(None)
            _thread_state.thread = None

    def run_job(self, job_id: int) -> bool:
        """Run job `job_id` if it is still queued (a message of Huey's)."""
        thread = getattr(_thread_state, "thread", None) or threading.current_thread().name
        with self.sessions() as db:
            job = queue.start(db, job_id, worker=worker_name(thread))
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
        _thread_state.ran = True
        self._execute(ctx)
        return True

    def run_periodic(self, name: str) -> bool:
        """Run the periodic task `name` if this period is ours (a message of Huey's scheduler)."""
        for task in self.periodic_tasks:
            if task.name == name:
                return periodic.run_due(self.sessions, self.settings, task, worker_name(name))
        return False

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
            if self._stop.is_set():  # taken while the worker was stopping: hand it back
                ctx._stopping.set()
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
        """Resume or fail the jobs left running by a stopped worker; send again the messages
        of queued jobs that no queue holds any more. Returns the stale jobs' counts."""
        with session_scope(self.sessions) as db:
            counts = queue.recover_stale(
                db,
                stale_after_s=self.settings.jobs_stale_after_s,
                resumable=self.registries.resumable(),
                is_dead=_dead_here,
            )
        with session_scope(self.sessions) as db:
            queue.resend_lost(db, older_than_s=self.settings.jobs_stale_after_s)
        return counts


# Per thread: the name a job run by `run_once` records, and whether a message ran a job.
_thread_state = threading.local()


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
