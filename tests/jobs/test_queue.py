"""Enqueue, claim (once, even under concurrency), cancel, recover, describe."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from civia.db.base import utcnow
from civia.jobs import queue
from civia.jobs.models import Job, JobStatus
from civia.jobs.worker import HOST, PROCESS_TOKEN, Worker, worker_name
from tests.jobs.conftest import JobWorld


def _enqueue(world: JobWorld, kind: str = "test.echo", **payload: object) -> int:
    with world.sessions() as db:
        job = queue.enqueue(
            db,
            tenant_id=world.tenant_id,
            user_id=world.user_id,
            kind=kind,
            queue="test",
            payload=dict(payload),
        )
        db.commit()
        return job.id


def test_claim_takes_the_oldest_then_nothing(world: JobWorld) -> None:
    first, second = _enqueue(world), _enqueue(world)
    with world.sessions() as db:
        a = queue.claim(db, queue="test", worker="w")
        b = queue.claim(db, queue="test", worker="w")
        assert (a and a.id, b and b.id) == (first, second)
        assert a is not None and a.status == "running" and a.attempts == 1
        assert queue.claim(db, queue="test", worker="w") is None
        assert queue.claim(db, queue="other", worker="w") is None


def test_concurrent_workers_never_take_the_same_job(world: JobWorld) -> None:
    ids = {_enqueue(world) for _ in range(30)}
    taken: list[int] = []
    lock = threading.Lock()

    def grab() -> None:
        with world.sessions() as db:
            while job := queue.claim(db, queue="test", worker=threading.current_thread().name):
                with lock:
                    taken.append(job.id)

    threads = [threading.Thread(target=grab) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == sorted(ids)  # each exactly once


def test_cancel_a_queued_job_means_it_never_runs(world: JobWorld) -> None:
    job_id = _enqueue(world)
    with world.sessions() as db:
        job = db.get(Job, job_id)
        assert job is not None and queue.cancel(db, job)
        db.commit()
        assert queue.claim(db, queue="test", worker="w") is None
        db.refresh(job)
        assert job.status == "cancelled" and job.finished_at is not None
        assert not queue.cancel(db, job)  # already finished


def _make_running(
    world: JobWorld, kind: str, *, age_s: float, worker: str, attempts: int = 1
) -> int:
    job_id = _enqueue(world, kind)
    with world.sessions() as db:
        job = db.get(Job, job_id)
        assert job is not None
        job.status, job.worker, job.attempts = "running", worker, attempts
        job.started_at = job.heartbeat_at = utcnow() - timedelta(seconds=age_s)
        db.commit()
    return job_id


def _status(world: JobWorld, job_id: int) -> Job:
    with world.sessions() as db:
        job = db.get(Job, job_id)
        assert job is not None
        return job


def test_stale_jobs_resume_or_fail_never_stay_running(world: JobWorld) -> None:
    far = "otherhost:1:abc:t"
    resumable = _make_running(world, "test.echo", age_s=120, worker=far)
    once = _make_running(world, "test.once", age_s=120, worker=far)
    exhausted = _make_running(world, "test.echo", age_s=120, worker=far, attempts=2)
    alive = _make_running(world, "test.echo", age_s=1, worker=far)
    counts = Worker(world.sessions, world.settings, {}, registries=world.registries).sweep()
    assert counts == {"resumed": 1, "failed": 2}
    assert _status(world, resumable).status == "queued"
    assert _status(world, resumable).message == queue.RESUMED_FR
    for job_id in (once, exhausted):
        job = _status(world, job_id)
        assert job.status == "failed" and "redémarrage du serveur" in job.error
    assert _status(world, alive).status == "running"  # its worker may still be at it


def test_a_dead_local_worker_is_recovered_without_waiting(world: JobWorld) -> None:
    past_life = f"{HOST}:{__import__('os').getpid()}:not{PROCESS_TOKEN}:t"
    fresh = _make_running(world, "test.echo", age_s=1, worker=past_life)
    ours = _make_running(world, "test.echo", age_s=1, worker=worker_name("t"))
    Worker(world.sessions, world.settings, {}, registries=world.registries).sweep()
    assert _status(world, fresh).status == "queued"
    assert _status(world, ours).status == "running"


def test_resumed_job_runs_again_and_knows_its_attempt(world: JobWorld) -> None:
    job_id = _make_running(world, "test.echo", age_s=120, worker="x:1:y:t")
    worker = Worker(world.sessions, world.settings, {"test": 1}, registries=world.registries)
    worker.sweep()
    assert worker.run_once("test")
    job = _status(world, job_id)
    assert job.status == "done" and job.result == {"echo": None, "attempt": 2}


def test_describe_gives_percent_and_time_left(world: JobWorld) -> None:
    job_id = _make_running(world, "test.echo", age_s=60, worker="w")
    with world.sessions() as db:
        queue.report(db, job_id, progress=0.25, message="Transcription")
        job = db.get(Job, job_id)
        assert job is not None
        job.started_at = utcnow() - timedelta(seconds=60)
        described = queue.describe(job)
    assert described["percent"] == 25 and described["label"] == "En cours"
    assert 170 <= described["eta_seconds"] <= 190  # 60 s for 25 % → ~180 s left
    assert described["eta"].startswith(("2 min", "3 min")) and not described["finished"]


def test_format_duration() -> None:
    assert queue.format_duration(3) == "moins de 5 s"
    assert queue.format_duration(42) == "42 s"
    assert queue.format_duration(125) == "2 min 05 s"
    assert queue.format_duration(3780) == "1 h 03 min"


def test_enqueue_wakes_workers_only_after_commit(world: JobWorld) -> None:
    wake = queue.wakeup("test")
    wake.clear()
    with world.sessions() as db:
        queue.enqueue(db, tenant_id=world.tenant_id, user_id=None, kind="test.echo", queue="test")
        assert not wake.is_set()  # a worker woken now would not see the row
        db.commit()
    assert wake.is_set()
    with world.sessions() as db:
        assert db.scalar(select(Job.status)) == JobStatus.QUEUED.value
