"""Enqueue (a Huey message once committed), start (once, even with duplicate messages and
concurrent workers), cancel, recover, send lost messages again, describe."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from civia.db.base import utcnow
from civia.jobs import dispatch, queue
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


def _huey(world: JobWorld, name: str = "test") -> object:
    return dispatch.for_engine(world.sessions.kw["bind"]).huey(name)


def _worker(world: JobWorld) -> Worker:
    return Worker(world.sessions, world.settings, {}, registries=world.registries)


def test_jobs_run_in_the_order_queued_then_nothing(world: JobWorld) -> None:
    first, second = _enqueue(world, value=1), _enqueue(world, value=2)
    worker = _worker(world)
    assert worker.run_once("test")
    assert (_status(world, first).status, _status(world, second).status) == ("done", "queued")
    assert worker.run_once("test") and _status(world, second).status == "done"
    assert not worker.run_once("test")
    assert not worker.run_once("other")


def test_a_job_starts_once_even_from_a_duplicate_message(world: JobWorld) -> None:
    job_id = _enqueue(world)
    with world.sessions() as db:
        job = queue.start(db, job_id, worker="w")
        assert job is not None and job.status == "running" and job.attempts == 1
        assert queue.start(db, job_id, worker="w2") is None


def test_concurrent_workers_never_run_the_same_job(world: JobWorld) -> None:
    ids = {_enqueue(world) for _ in range(30)}
    dispatcher = dispatch.for_engine(world.sessions.kw["bind"])
    for job_id in ids:  # every message twice: the second must do nothing
        dispatcher.send("test", job_id)
    worker = _worker(world)

    def drain() -> None:
        while worker.run_once("test", threading.current_thread().name):
            pass

    threads = [threading.Thread(target=drain, name=f"t{i}") for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with world.sessions() as db:
        jobs = db.scalars(select(Job).where(Job.id.in_(ids))).all()
    assert {(job.status, job.attempts) for job in jobs} == {("done", 1)}  # each exactly once
    assert _huey(world).pending_count() == 0  # type: ignore[attr-defined]


def test_cancel_a_queued_job_means_it_never_runs(world: JobWorld) -> None:
    job_id = _enqueue(world)
    with world.sessions() as db:
        job = db.get(Job, job_id)
        assert job is not None and queue.cancel(db, job)
        db.commit()
        assert not _worker(world).run_once("test")  # its message runs nothing
        db.refresh(job)
        assert job.status == "cancelled" and job.finished_at is not None and job.attempts == 0
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
    counts = _worker(world).sweep()
    assert counts == {"resumed": 1, "failed": 2}
    assert _status(world, resumable).status == "queued"
    assert _status(world, resumable).message == queue.RESUMED_FR
    for job_id in (once, exhausted):
        job = _status(world, job_id)
        assert job.status == "failed" and "redémarrage du serveur" in job.error
    assert _status(world, alive).status == "running"  # its worker may still be at it
    assert _worker(world).run_once("test")  # the resumed job's message was sent again
    assert _status(world, resumable).status == "done"


def test_a_dead_local_worker_is_recovered_without_waiting(world: JobWorld) -> None:
    past_life = f"{HOST}:{__import__('os').getpid()}:not{PROCESS_TOKEN}:t"
    fresh = _make_running(world, "test.echo", age_s=1, worker=past_life)
    ours = _make_running(world, "test.echo", age_s=1, worker=worker_name("t"))
    _worker(world).sweep()
    assert _status(world, fresh).status == "queued"
    assert _status(world, ours).status == "running"


def test_resumed_job_runs_again_and_knows_its_attempt(world: JobWorld) -> None:
    job_id = _make_running(world, "test.echo", age_s=120, worker="x:1:y:t")
    worker = _worker(world)
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


def test_the_message_is_sent_only_once_the_job_is_committed(world: JobWorld) -> None:
    huey = _huey(world)
    with world.sessions() as db:
        queue.enqueue(db, tenant_id=world.tenant_id, user_id=None, kind="test.echo", queue="test")
        assert huey.pending_count() == 0  # type: ignore[attr-defined]  # a worker would not see it
        db.rollback()
    assert huey.pending_count() == 0  # type: ignore[attr-defined]
    with world.sessions() as db:
        job = queue.enqueue(
            db, tenant_id=world.tenant_id, user_id=None, kind="test.echo", queue="test"
        )
        db.commit()
        assert dispatch.of_session(db).waiting_ids("test") == {job.id}
        assert db.scalar(select(Job.status)) == JobStatus.QUEUED.value


def test_a_lost_message_is_sent_again_by_the_sweep(world: JobWorld) -> None:
    """The queue's store emptied (Redis restarted without persistence): the row is the truth."""
    waiting, recent = _enqueue(world, value="perdu"), _enqueue(world)
    _huey(world).flush()  # type: ignore[attr-defined]
    with world.sessions() as db:
        job = db.get(Job, waiting)
        assert job is not None
        job.heartbeat_at = utcnow() - timedelta(minutes=5)  # its message was sent long ago
        db.commit()
    worker = _worker(world)
    assert not worker.run_once("test")
    worker.sweep()
    assert worker.run_once("test") and not worker.run_once("test")
    assert _status(world, waiting).result == {"echo": "perdu", "attempt": 1}
    assert _status(world, recent).status == "queued"  # may still be on its way: not doubled
    worker.sweep()
    assert not worker.run_once("test")
