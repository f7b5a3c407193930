"""Enqueue, start, report, cancel, finish and recover jobs: the rows users see. Huey carries the
job ids to workers (`civia.jobs.dispatch`); every message is sent once the row is committed, and
a worker starts a job with one conditional UPDATE, so a job never runs twice even when its
message is duplicated. Every function works on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from civia.db.base import aware, utcnow
from civia.db.engine import affected
from civia.jobs import dispatch
from civia.jobs.models import FINISHED, STATUS_LABELS, Job, JobStatus
from civia.telemetry import context

log = logging.getLogger("civia.jobs")

INTERRUPTED_FR = (
    "Le traitement a été interrompu (arrêt ou redémarrage du serveur) et n'a pas pu reprendre. "
    "Relancez-le."
)
RESUMED_FR = "Reprise après un redémarrage du serveur."

REQUEST_ID_KEY = "_request_id"


def enqueue(
    db: Session,
    *,
    tenant_id: int,
    user_id: int | None,
    kind: str,
    queue: str,
    payload: dict[str, Any] | None = None,
    max_attempts: int = 2,
    message: str = "",
) -> Job:
    payload = dict(payload or {})
    if context.current():  # the request that queued it: its logs and the job's share the id
        payload.setdefault(REQUEST_ID_KEY, context.current())
    job = Job(
        tenant_id=tenant_id,
        user_id=user_id,
        kind=kind,
        queue=queue,
        payload=payload,
        result={},
        max_attempts=max_attempts,
        message=message,
        heartbeat_at=utcnow(),  # while queued: when its message was sent
    )
    db.add(job)
    db.flush()
    _send(db, job)
    return job


def _send(db: Session, job: Job) -> None:
    job_id, queue = job.id, job.queue
    dispatch.after_commit(db, lambda dispatcher: dispatcher.send(queue, job_id))


def start(db: Session, job_id: int, *, worker: str) -> Job | None:
    """Move a queued job to running for `worker`, or None when it is no longer queued
    (cancelled, finished, or started by another worker from a duplicate message)."""
    now = utcnow()
    won = affected(
        db.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.QUEUED.value)
            .values(
                status=JobStatus.RUNNING.value,
                worker=worker[:120],
                started_at=now,
                heartbeat_at=now,
                attempts=Job.attempts + 1,
            )
        )
    )
    db.commit()
    return db.get(Job, job_id, populate_existing=True) if won else None


def report(db: Session, job_id: int, *, progress: float | None = None, message: str = "") -> bool:
    """Record progress (and that the worker is alive). Returns whether cancel was requested."""
    values: dict[str, Any] = {"heartbeat_at": utcnow()}
    if progress is not None:
        values["progress"] = min(max(progress, 0.0), 1.0)
    if message:
        values["message"] = message[:300]
    db.execute(update(Job).where(Job.id == job_id).values(**values))
    db.commit()
    return bool(db.scalar(select(Job.cancel_requested).where(Job.id == job_id)))


def finish(
    db: Session,
    job_id: int,
    *,
    status: JobStatus,
    result: dict[str, Any] | None = None,
    error: str = "",
) -> None:
    values: dict[str, Any] = {"status": status.value, "finished_at": utcnow(), "error": error}
    if status is JobStatus.DONE:
        values["progress"] = 1.0
    if result is not None:
        values["result"] = result
    db.execute(update(Job).where(Job.id == job_id).values(**values))
    db.commit()


def release(db: Session, job_id: int, *, resumable: bool) -> None:
    """A worker shutting down hands its job back: queued again (the attempt does not count),
    or failed with a French reason when its kind cannot resume."""
    if resumable:
        values: dict[str, Any] = {
            "status": JobStatus.QUEUED.value,
            "message": RESUMED_FR,
            "worker": "",
            "attempts": Job.attempts - 1,
            "heartbeat_at": utcnow(),
        }
        queue = db.scalar(select(Job.queue).where(Job.id == job_id))
        dispatch.after_commit(db, lambda dispatcher: dispatcher.send(str(queue), job_id))
    else:
        values = {
            "status": JobStatus.FAILED.value,
            "error": INTERRUPTED_FR,
            "finished_at": utcnow(),
        }
    db.execute(update(Job).where(Job.id == job_id).values(**values))
    db.commit()


def cancel(db: Session, job: Job) -> bool:
    """Cancel a queued job at once; ask a running one to stop. False if already finished."""
    if job.status in FINISHED:
        return False
    if job.status == JobStatus.QUEUED.value:
        done = affected(
            db.execute(
                update(Job)
                .where(Job.id == job.id, Job.status == JobStatus.QUEUED.value)
                .values(
                    status=JobStatus.CANCELLED.value,
                    cancel_requested=True,
                    finished_at=utcnow(),
                    message="",
                )
            )
        )
        if done:  # its message stays: `start` finds the job no longer queued and drops it
            # (revoking it by id would also drop a later job given the same id on SQLite)
            return True
    db.execute(update(Job).where(Job.id == job.id).values(cancel_requested=True))
    return True


def recover_stale(
    db: Session,
    *,
    stale_after_s: float,
    resumable: set[str],
    is_dead: Callable[[str], bool] = lambda _worker: False,
) -> dict[str, int]:
    """Jobs whose worker stopped beating (or is known dead): queued again when their kind can
    resume and they have attempts left, failed with a French reason otherwise. Never left
    "running" forever."""
    cutoff = utcnow() - timedelta(seconds=stale_after_s)
    running = db.scalars(select(Job).where(Job.status == JobStatus.RUNNING.value)).all()
    stale = [job for job in running if is_dead(job.worker) or _silent_since(job, cutoff)]
    counts = {"resumed": 0, "failed": 0}
    for job in stale:
        if job.cancel_requested:
            job.status, job.finished_at = JobStatus.CANCELLED.value, utcnow()
        elif job.kind in resumable and job.attempts < job.max_attempts:
            job.status, job.message, job.worker = JobStatus.QUEUED.value, RESUMED_FR, ""
            job.heartbeat_at = utcnow()
            counts["resumed"] += 1
            _send(db, job)
        else:
            job.status, job.error = JobStatus.FAILED.value, INTERRUPTED_FR
            job.finished_at = utcnow()
            counts["failed"] += 1
    db.commit()
    if any(counts.values()):
        log.warning("recovered stale jobs: %s", counts)
    return counts


def resend_lost(db: Session, *, older_than_s: float) -> int:
    """Send a message again for each job queued longer than `older_than_s` whose message no
    queue holds any more (the queue's store was emptied: Redis restarted without persistence,
    a backup restored). A message taken by a worker that has not started the job yet may be
    doubled: the second one does nothing."""
    cutoff = utcnow() - timedelta(seconds=older_than_s)
    waiting = db.scalars(select(Job).where(Job.status == JobStatus.QUEUED.value)).all()
    late = [
        job for job in waiting if (job.heartbeat_at is None or aware(job.heartbeat_at) <= cutoff)
    ]
    if not late:
        return 0
    dispatcher = dispatch.of_session(db)
    held: dict[str, set[int]] = {}
    lost = []
    for job in late:
        if job.queue not in held:
            held[job.queue] = dispatcher.waiting_ids(job.queue)
        if job.id not in held[job.queue]:
            job.heartbeat_at = utcnow()
            lost.append(job)
            _send(db, job)
    db.commit()
    if lost:
        log.warning("sent again the lost messages of %d queued jobs", len(lost))
    return len(lost)


def _silent_since(job: Job, cutoff: datetime) -> bool:
    """No heartbeat at all, or none since `cutoff`."""
    return job.heartbeat_at is None or aware(job.heartbeat_at) <= cutoff


def eta_seconds(job: Job, now: datetime | None = None) -> float | None:
    """Time left, extrapolated from the progress made since the job started."""
    started = aware(job.started_at) if job.started_at else None
    if job.status != JobStatus.RUNNING.value or started is None or job.progress < 0.02:
        return None
    elapsed = ((now or utcnow()) - started).total_seconds()
    return max(elapsed * (1 - job.progress) / job.progress, 0.0)


def describe(job: Job) -> dict[str, Any]:
    """What the progress bar needs (JSON for polling clients)."""
    eta = eta_seconds(job)
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "label": STATUS_LABELS[JobStatus(job.status)],
        "percent": round(job.progress * 100),
        "eta_seconds": None if eta is None else round(eta),
        "eta": format_duration(eta) if eta is not None else "",
        "message": job.message,
        "error": job.error,
        "finished": job.status in FINISHED,
        "cancel_requested": job.cancel_requested,
    }


def format_duration(seconds: float) -> str:
    """« 2 min 05 s », « 1 h 03 min », « moins de 5 s »."""
    seconds = round(seconds)
    if seconds < 5:
        return "moins de 5 s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"
