"""Two real `civia serve` processes sharing PROMETHEUS_MULTIPROC_DIR, as behind nginx: the
`/metrics` of either one adds up the requests both answered; their logs are JSON lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from tests.conftest import make_personas
from tests.ops.test_probes_metrics import _value
from tests.servers import free_port

TOKEN = "jeton-de-supervision-multiprocessus"
ROOT = Path(__file__).resolve().parents[2]


def _wait(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"civia serve exited: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError("civia serve did not start within 120 s")


def test_metrics_add_up_the_processes(tmp_path: Path, password_hash: str) -> None:
    db_url = f"sqlite:///{tmp_path / 'civia.db'}"
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    with session_scope(make_sessionmaker(engine)) as db:
        make_personas(db, password_hash)
    engine.dispose()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CIVIA_DATA_DIR": str(tmp_path),
        "CIVIA_DATABASE_URL": db_url,
        "CIVIA_LOCAL_MODEL_ENABLED": "false",
        "CIVIA_JOBS_IN_PROCESS": "false",
        "CIVIA_RETENTION_SWEEP_HOURS": "0",
        "CIVIA_METRICS_TOKEN": TOKEN,
        "CIVIA_LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    ports = [free_port(), free_port()]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "civia.cli", "serve", "--port", str(port), "--no-upgrade"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base, proc in zip(bases, procs, strict=True):
            _wait(base, proc)
        for base, count in zip(bases, (3, 5), strict=True):
            for _ in range(count):
                assert httpx.get(f"{base}/sante", timeout=10).status_code == 200
        operator = {"Authorization": f"Bearer {TOKEN}"}
        for base in bases:  # either process answers for both
            text = httpx.get(f"{base}/metrics", headers=operator, timeout=10).text
            assert _value(text, "civia_http_requests_total", route="/sante", status="200") == 8
        assert len(list(metrics_dir.glob("*.db"))) >= 2  # one file per process and kind
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(30)
    logged = procs[0].stderr.read().decode()  # type: ignore[union-attr]
    lines = [json.loads(line) for line in logged.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "civia.access"]
    assert any(line["route"] == "/sante" and line["request_id"] for line in access)
    # A clean stop on SIGTERM: uvicorn finishes, then re-raises the signal it caught.
    assert "Finished server process" in logged
    assert all(proc.returncode in (0, -15) for proc in procs)


def test_a_worker_serves_its_own_metrics(tmp_path: Path, password_hash: str) -> None:
    """A `civia worker` alone on its machine: its job runs on its metrics port."""
    from civia.jobs import queue

    db_url = f"sqlite:///{tmp_path / 'civia.db'}"
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    with session_scope(make_sessionmaker(engine)) as db:
        agent = make_personas(db, password_hash)["agent"]
        queue.enqueue(db, tenant_id=agent.tenant_id, user_id=agent.id, kind="disparu",
                      queue="documents")  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CIVIA_DATA_DIR": str(tmp_path),
           "CIVIA_DATABASE_URL": db_url, "CIVIA_LOCAL_MODEL_ENABLED": "false"}  # fmt: skip
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    port = free_port()
    command = [sys.executable, "-m", "civia.cli", "worker", "--queues", "documents=1",
               "--metrics-port", str(port)]  # fmt: skip
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline, found = time.monotonic() + 120, 0.0
        while time.monotonic() < deadline and not found:
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
            try:
                text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
                found = _value(text, "civia_job_runs_total", kind="disparu", outcome="failed")
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        assert found == 1
        assert _value(text, "civia_errors_total", where="job") == 1
    finally:
        proc.terminate()
        proc.wait(30)
