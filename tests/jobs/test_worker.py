"""The worker runs handlers, records results and French errors, honours cancel requests."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from civia.db.base import aware
from civia.jobs import dispatch, queue
from civia.jobs import worker as worker_module
from civia.jobs.models import Job
from civia.jobs.worker import UNEXPECTED_FR, UNKNOWN_KIND_FR, JobContext, Worker
from tests.jobs.conftest import RELEASE, JobWorld


def _enqueue(world: JobWorld, kind: str, **payload: object) -> int:
    with world.sessions() as db:
        job = queue.enqueue(
            db, tenant_id=world.tenant_id, user_id=world.user_id, kind=kind, queue="test",
            payload=dict(payload),
        )  # fmt: skip
        db.commit()
        return job.id


def _job(world: JobWorld, job_id: int) -> Job:
    with world.sessions() as db:
        job = db.get(Job, job_id)
        assert job is not None
        return job


def _wait_for(world: JobWorld, job_id: int, *statuses: str, timeout: float = 180) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = _job(world, job_id)
        if job.status in statuses:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} stayed {_job(world, job_id).status}")


def test_a_job_runs_to_done_with_its_result(world: JobWorld) -> None:
    job_id = _enqueue(world, "test.echo", value=42)
    assert Worker(world.sessions, world.settings, {}, registries=world.registries).run_once("test")
    job = _job(world, job_id)
    assert (job.status, job.progress, job.result) == ("done", 1.0, {"echo": 42, "attempt": 1})
    assert job.finished_at is not None and job.error == ""


def test_failures_carry_a_french_message(world: JobWorld) -> None:
    refused = _enqueue(world, "test.refuse")
    crashed = _enqueue(world, "test.crash")
    unknown = _enqueue(world, "test.nobody-handles-this")
    worker = Worker(world.sessions, world.settings, {}, registries=world.registries)
    while worker.run_once("test"):
        pass
    assert (_job(world, refused).status, _job(world, refused).error) == (
        "failed",
        "Ce fichier ne contient pas de son.",
    )
    assert _job(world, crashed).error == UNEXPECTED_FR
    assert _job(world, unknown).error == UNKNOWN_KIND_FR


def test_background_worker_runs_and_cancels(world: JobWorld) -> None:
    worker = Worker(
        world.sessions, world.settings, {"test": 1}, registries=world.registries, poll_s=0.1
    )
    worker.start()
    try:
        done = _enqueue(world, "test.echo", value="a")
        assert _wait_for(world, done, "done").result["echo"] == "a"
        waiting = _enqueue(world, "test.wait")
        running = _wait_for(world, waiting, "running")
        with world.sessions() as db:
            assert queue.cancel(db, db.get(Job, running.id))  # type: ignore[arg-type]
            db.commit()
        cancelled = _wait_for(world, waiting, "cancelled", "done", "failed")
        assert cancelled.status == "cancelled" and cancelled.error == ""
    finally:
        RELEASE.set()
        worker.stop(timeout=120)


def test_heartbeat_marks_running_jobs_alive_and_picks_up_cancel(world: JobWorld) -> None:
    job_id = _enqueue(world, "test.wait")
    worker = Worker(world.sessions, world.settings, {}, registries=world.registries)
    with world.sessions() as db:
        job = queue.start(db, job_id, worker="w")
        assert job is not None
        job.heartbeat_at = job.heartbeat_at - timedelta(minutes=5)  # type: ignore[operator]
        db.commit()
        old = job.heartbeat_at
    ctx = JobContext(
        job_id=job_id, kind="test.wait", tenant_id=world.tenant_id, user_id=None, payload={},
        attempt=1, sessions=world.sessions, settings=world.settings,
    )  # fmt: skip
    worker._running[job_id] = ctx
    worker.beat()
    assert aware(_job(world, job_id).heartbeat_at) > aware(old)
    assert not ctx.cancelled()
    with world.sessions() as db:
        queue.cancel(db, db.get(Job, job_id))  # type: ignore[arg-type]
        db.commit()
    worker.beat()
    assert ctx.cancelled()


def test_shutdown_hands_the_running_job_back_to_the_queue(world: JobWorld) -> None:
    worker = Worker(
        world.sessions, world.settings, {"test": 1}, registries=world.registries, poll_s=0.1
    )
    worker.start()
    job_id = _enqueue(world, "test.wait")
    _wait_for(world, job_id, "running")
    worker.stop(timeout=120)  # returns as soon as the handler has handed the job back
    job = _job(world, job_id)
    assert (job.status, job.attempts, job.message) == ("queued", 0, queue.RESUMED_FR)
    RELEASE.set()
    assert Worker(world.sessions, world.settings, {}, registries=world.registries).run_once("test")
    assert _job(world, job_id).status == "done"


def _redis_url() -> str:
    """The local Redis, or the test is skipped."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError:
        pytest.skip("Redis not reachable")
    return url


def test_with_redis_jobs_go_through_redis(world: JobWorld) -> None:
    """`CIVIA_REDIS_URL` set: the messages are in Redis (under a name of this database), the
    rows stay in the database."""
    url = _redis_url()
    settings = world.settings.model_copy(update={"redis_url": url})
    worker = Worker(world.sessions, settings, {}, registries=world.registries)
    huey = worker.dispatcher.huey("test")
    try:
        assert worker.dispatcher.backend == "redis" and type(huey).__name__ == "RedisHuey"
        job_id = _enqueue(world, "test.echo", value="r")
        assert worker.dispatcher.waiting_ids("test") == {job_id}
        assert worker.run_once("test")
        assert _job(world, job_id).result == {"echo": "r", "attempt": 1}
    finally:
        huey.flush()
        dispatch.configure(world.sessions.kw["bind"], redis_url="")


def test_with_redis_an_unsigned_message_is_refused(world: JobWorld) -> None:
    """Huey pickles its messages: one written into Redis by anyone without the platform's
    secret (here, signed with another key) is refused, never unpickled and run."""
    from huey import RedisHuey
    from huey.serializer import SignedSerializer

    url = _redis_url()
    settings = world.settings.model_copy(update={"redis_url": url})
    worker = Worker(world.sessions, settings, {}, registries=world.registries)
    huey = worker.dispatcher.huey("test")
    try:
        forger = RedisHuey(huey.name, url=url, serializer=SignedSerializer(secret="other"))
        forger.enqueue(forger.task(name="x")(lambda: None).s())
        with pytest.raises(ValueError, match="mismatch"):
            huey.dequeue()
        job_id = _enqueue(world, "test.echo", value="s")
        assert worker.run_once("test")
        assert _job(world, job_id).result == {"echo": "s", "attempt": 1}
    finally:
        huey.flush()
        dispatch.configure(world.sessions.kw["bind"], redis_url="")


class _Clock:
    now = 0.0

    def monotonic(self) -> float:
        return self.now


class _StuckThread:
    """A thread that does not end: each join waits the whole time it is given (on a fake
    clock, so the test does not wait)."""

    def __init__(self, clock: _Clock, given: list[float]) -> None:
        self.clock, self.given = clock, given

    def join(self, timeout: float | None = None) -> None:
        assert timeout is not None
        self.given.append(timeout)
        self.clock.now += timeout


def test_stop_waits_for_its_threads_within_one_overall_timeout(
    world: JobWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """systemd kills a unit whose stop outlasts TimeoutStopSec: the worker's wait for its
    threads is one budget shared by all, not one per thread."""
    worker = Worker(world.sessions, world.settings, {}, registries=world.registries)
    clock, given = _Clock(), list[float]()
    monkeypatch.setattr(worker_module, "time", clock)
    worker._threads = [_StuckThread(clock, given) for _ in range(9)]  # type: ignore[misc]
    worker.stop(timeout=5.0)
    assert len(given) == 9 and clock.now == 5.0
