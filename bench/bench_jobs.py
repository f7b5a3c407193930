"""Job machinery: enqueue → start latency and jobs per second of a no-op job kind.

Uses only what the home-made queue and the Huey one share (`queue.enqueue`, `Worker(...).start()`,
the `jobs` rows), so the same script measures both: run it with `PYTHONPATH` on a checkout of
each. Two placements of the worker:

- `in-process`: the worker threads live in the process that queues (the embedded `civia serve`);
- `separate`: the worker is another process (`civia worker`), which learns of a job only through
  the queue's store (polling, or Redis / PostgreSQL waking it).

Latency: 40 jobs queued one at a time, each waited for; `started_at - created_at` from the rows
(one clock). Throughput: 400 jobs queued in one transaction, time until the last is done.

Usage: PYTHONPATH=<checkout> python bench/bench_jobs.py --db sqlite|postgresql [--redis]
       [--placement in-process|separate] [--jobs 400]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text

from civia.accounts.models import Tenant, User
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker
from civia.jobs import queue, registry
from civia.jobs.models import Job
from civia.jobs.worker import Worker
from civia.plugins import loader
from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import JobKind
from civia.settings import Settings

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
KIND, QUEUE = "bench.noop", "bench"


@registry.register(KIND, queue=QUEUE)
def _noop(ctx: Any) -> dict[str, Any]:
    return {}


class BenchKinds:
    @hookimpl
    def register_job_kinds(self) -> list[JobKind]:
        return registry.kinds_in(sys.modules[__name__])


def _worker(url: str, data_dir: Path, redis_url: str, threads: int) -> Worker:
    settings = Settings(data_dir=data_dir, database_url=url, redis_url=redis_url)
    pm = loader.plugin_manager()
    pm.register(BenchKinds())
    engine = make_engine(url)
    registries = loader.load(settings, pm)
    return Worker(make_sessionmaker(engine), settings, {QUEUE: threads}, registries=registries)


def serve(url: str, data_dir: Path, redis_url: str, threads: int) -> None:
    """The separate worker process: runs until its stdin closes."""
    worker = _worker(url, data_dir, redis_url, threads)
    worker.start()
    print("ready", flush=True)
    sys.stdin.read()
    worker.stop()


def _wait_done(sessions: Any, count: int, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sessions() as db:
            done = db.scalar(select(func.count(Job.id)).where(Job.status == "done"))
        if done >= count:
            return
        time.sleep(0.005)
    raise SystemExit(f"only {done} of {count} jobs done")


def measure(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    schema = ""
    if args.db == "sqlite":
        url = f"sqlite:///{folder / 'civia.db'}"
    else:
        schema = "bench_" + uuid.uuid4().hex[:10]
        with create_engine(PG_URL, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    redis_url = REDIS_URL if args.redis else ""
    worker = _worker(url, folder, redis_url, args.threads)  # also sets the queue's back end
    sessions = worker.sessions
    engine = sessions.kw["bind"]
    Base.metadata.create_all(engine)
    with sessions() as db:
        tenant = Tenant(slug="t", name="T")
        db.add(tenant)
        db.flush()
        db.add(User(tenant_id=tenant.id, login="u", display_name="U", password_hash="x"))  # noqa: S106
        db.commit()
        tenant_id = tenant.id
    process = None
    if args.placement == "in-process":
        worker.start()
    else:
        process = subprocess.Popen(
            [sys.executable, __file__, "--serve", url, str(folder), redis_url, str(args.threads)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    try:
        latencies = []
        for index in range(args.latency_jobs):
            with sessions() as db:
                queue.enqueue(db, tenant_id=tenant_id, user_id=None, kind=KIND, queue=QUEUE)
                db.commit()
            _wait_done(sessions, index + 1)
        with sessions() as db:
            for job in db.scalars(select(Job).order_by(Job.id)):
                latencies.append((job.started_at - job.created_at).total_seconds() * 1000)
        begin = time.perf_counter()
        with sessions() as db:
            for _ in range(args.jobs):
                queue.enqueue(db, tenant_id=tenant_id, user_id=None, kind=KIND, queue=QUEUE)
            db.commit()
        _wait_done(sessions, args.latency_jobs + args.jobs)
        elapsed = time.perf_counter() - begin
    finally:
        if process is not None:
            assert process.stdin is not None
            process.stdin.close()
            process.wait(60)
        else:
            worker.stop()
        engine.dispose()
        if schema:
            with create_engine(PG_URL, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    latencies.sort()
    return {
        "db": args.db + ("+redis" if args.redis else ""),
        "placement": args.placement,
        "threads": args.threads,
        "latency_p50_ms": round(latencies[len(latencies) // 2], 1),
        "latency_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "jobs_per_s": round(args.jobs / elapsed, 1),
        "load": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(sys.argv[2], Path(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--redis", action="store_true", help="jobs through Redis (Huey only)")
    parser.add_argument("--placement", choices=["in-process", "separate"], default="in-process")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=400)
    parser.add_argument("--latency-jobs", type=int, default=40)
    print(json.dumps(measure(parser.parse_args())))


if __name__ == "__main__":
    main()
