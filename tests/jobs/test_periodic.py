"""Plugin periodic tasks run on Huey's scheduler in `civia worker` (and the in-process worker),
each period once across replicas: a conditional UPDATE of `periodic_runs`, on SQLite and
PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from civia.db.base import utcnow
from civia.jobs import dispatch, periodic
from civia.jobs.models import PeriodicRun
from civia.jobs.worker import Worker
from civia.plugins.registries import PeriodicTask
from tests.jobs.conftest import JobWorld


def test_a_period_is_claimed_once_then_again_when_it_has_passed(world: JobWorld) -> None:
    now = utcnow()
    with world.sessions() as db:
        assert periodic.claim(db, "t", 60, "a", now)
        assert not periodic.claim(db, "t", 60, "b", now + timedelta(seconds=59))
        assert periodic.claim(db, "t", 60, "b", now + timedelta(seconds=61))
        row = db.get(PeriodicRun, "t")
        assert row is not None and row.holder == "b"
        assert not periodic.claim(db, "t", 60, "a", now + timedelta(seconds=90))


def test_concurrent_claims_of_one_period_give_one_winner(world: JobWorld) -> None:
    for round_ in range(2):  # the row's creation, then its update
        now = utcnow() + timedelta(hours=round_)
        wins: list[str] = []
        start = threading.Barrier(6)

        def contender(name: str, now=now, wins=wins, start=start) -> None:
            start.wait()
            with world.sessions() as db:
                if periodic.claim(db, "race", 600, name, now):
                    wins.append(name)

        threads = [threading.Thread(target=contender, args=(f"r{i}",)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert len(wins) == 1, (round_, wins)


def test_two_worker_replicas_run_a_plugin_task_once_per_period(world: JobWorld) -> None:
    runs: list[str] = []
    task = PeriodicTask("count", 3600, lambda sessions, settings: runs.append("ran"))
    registries = replace(world.registries, periodic_tasks=[task])
    replicas = [  # both schedulers enqueue the task at their start: two messages, one run
        Worker(
            world.sessions,
            world.settings,
            {},
            registries=registries,
            periodic=True,
            periodic_delay_s=0.0,
        )
        for _ in range(2)
    ]
    for worker in replicas:
        worker.start()
    try:
        deadline = time.monotonic() + 30
        huey = dispatch.for_engine(world.sessions.kw["bind"]).huey(dispatch.PERIODIC)
        while (not runs or huey.pending_count()) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # both messages taken: the second found its period claimed
    finally:
        for worker in replicas:
            worker.stop()
    assert runs == ["ran"]


def test_a_failing_task_is_logged_and_its_next_period_still_comes(world: JobWorld) -> None:
    def boom(sessions: object, settings: object) -> None:
        raise RuntimeError("imap down")

    task = PeriodicTask("boom", 0.0, boom)
    assert periodic.run_due(world.sessions, world.settings, task, "a")
    assert periodic.run_due(world.sessions, world.settings, task, "a")


def test_workers_without_periodic_run_no_task(world: JobWorld) -> None:
    worker = Worker(world.sessions, world.settings, {}, registries=world.registries)
    assert worker.periodic_tasks == []


def test_civia_worker_runs_the_plugins_periodic_tasks(world: JobWorld) -> None:
    """The real command, in its own process: the mailbox's tasks claim their period there."""
    env = {
        **os.environ,
        "CIVIA_DATABASE_URL": world.settings.database_url,
        "CIVIA_DATA_DIR": str(world.settings.data_dir),
        "CIVIA_JOB_QUEUES": "test=1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "civia.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        names: set[str] = set()
        while time.monotonic() < deadline and process.poll() is None:
            with world.sessions() as db:
                names = set(db.scalars(select(PeriodicRun.name)))
            if {"mailbox-fetch", "mailbox-analyse"} <= names:
                break
            time.sleep(0.3)
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    assert {"mailbox-fetch", "mailbox-analyse"} <= names, err.decode()[-2000:]
