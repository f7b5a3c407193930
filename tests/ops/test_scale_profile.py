"""The "at scale" profile of docs/deploy.md, end to end: Debian's nginx, with the repository's
own configuration (deploy/nginx/), in front of two `civia serve` processes, a `civia worker`,
Redis and PostgreSQL. Through nginx: a login whose session both processes honour, a streamed
answer delivered token by token (and stopped from whichever process gets the click), a document
analysed by the worker, and one process stopped while the other keeps answering."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select, text

from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.documents.jobs import INGEST
from civia.jobs.models import Job
from tests.conftest import PASSWORD, PG_URL, make_personas
from tests.servers import free_port

pytestmark = [pytest.mark.nginx, pytest.mark.postgres, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_URL = "redis://127.0.0.1:6379/0"
MAX_TOKENS = 200


def _require(ok: bool, why: str) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"required in CI: {why}")
        pytest.skip(why)


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def pg_schema_url(postgres_ok: bool) -> Iterator[str]:
    _require(postgres_ok, f"PostgreSQL unreachable at {PG_URL}")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def nginx_conf(prefix: Path, port: int, app_ports: list[int]) -> str:
    """The deployed upstream block (ports swapped for the test's) and the deployed proxy snippet,
    verbatim, in a plain-HTTP server on 127.0.0.1; X-Upstream tells which process answered."""
    site = (DEPLOY / "civia.conf").read_text(encoding="utf-8")
    match = re.search(r"^upstream civia \{.*?^\}", site, re.S | re.M)
    assert match, "deploy/nginx/civia.conf lost its upstream block"
    upstream = match.group(0)
    for deployed, ours in zip(("127.0.0.1:8001", "127.0.0.1:8002"), app_ports, strict=True):
        assert deployed in upstream
        upstream = upstream.replace(deployed, f"127.0.0.1:{ours}")
    temp = "\n".join(
        f"    {name}_temp_path {prefix}/{name}_temp;"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root (CI), workers would drop to `nobody`, who cannot enter pytest's 0700 temp dirs.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""daemon off;
{user}pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log {prefix}/access.log;
{temp}
{upstream}
    server {{
        listen 127.0.0.1:{port};
        add_header X-Upstream $upstream_addr always;
        include {DEPLOY / "civia-proxy.conf"};
    }}
}}
"""


def _wait(url: str, proc: subprocess.Popen[bytes], name: str, log: Path) -> None:
    deadline = time.monotonic() + 240  # generous: 2 shared CPUs start three Python processes
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{name} exited: {log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{name} did not start within 240 s")


def _login(client: httpx.Client, user: str) -> str:
    page = client.get("/connexion")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    resp = client.post(
        "/connexion",
        data={"login": user, "password": PASSWORD, "csrf_token": token.group(1), "suivant": "/"},
    )
    assert resp.status_code == 303, resp.text
    home = client.get("/")
    csrf = re.search(r'data-csrf="([^"]+)"', home.text)
    assert csrf, home.text[:500]
    return csrf.group(1)


def test_nginx_two_processes_worker_redis_postgres(
    tmp_path: Path, password_hash: str, pg_schema_url: str
) -> None:
    _require(os.path.exists(NGINX), "nginx is not installed (apt-get install nginx-light)")
    _require(_redis_up(), f"Redis unreachable at {REDIS_URL}")
    engine = make_engine(pg_schema_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as db:
        make_personas(db, password_hash)

    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CIVIA_DATA_DIR": str(tmp_path / "data"),  # shared by web processes and worker
        "CIVIA_DATABASE_URL": pg_schema_url,
        "CIVIA_REDIS_URL": REDIS_URL,
        "CIVIA_SECRET_KEY": "cle-secrete-du-profil-a-l-echelle-" + uuid.uuid4().hex,
        "CIVIA_TRUSTED_PROXIES": "127.0.0.1",
        "CIVIA_JOBS_IN_PROCESS": "false",
        "CIVIA_RETENTION_SWEEP_HOURS": "0",
        "CIVIA_MAX_TOKENS": str(MAX_TOKENS),
        "CIVIA_LOCAL_MODEL_THREADS": "1",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    (tmp_path / "data").mkdir()
    procs: list[subprocess.Popen[bytes]] = []

    def start(name: str, command: list[str]) -> tuple[subprocess.Popen[bytes], Path]:
        log = tmp_path / f"{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        procs.append(proc)
        return proc, log

    app_ports, port = [free_port(), free_port()], free_port()
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    (prefix / "nginx.conf").write_text(nginx_conf(prefix, port, app_ports), encoding="utf-8")
    try:
        serve = [sys.executable, "-m", "civia.cli", "serve", "--host", "127.0.0.1"]
        apps = [
            start(f"web{i}", [*serve, "--port", str(p), "--no-upgrade"])
            for i, p in enumerate(app_ports)
        ]
        start("worker", [sys.executable, "-m", "civia.cli", "worker", "--queues", "ingestion=1"])
        nginx, _ = start(
            "nginx", [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                      "-e", str(prefix / "error.log")],
        )  # fmt: skip
        for (proc, log), p in zip(apps, app_ports, strict=True):
            _wait(f"http://127.0.0.1:{p}/healthz", proc, f"civia serve :{p}", log)
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/healthz", nginx, "nginx", prefix / "error.log")

        client = httpx.Client(base_url=base, timeout=60)
        csrf = _login(client, "referent")
        headers = {"X-CSRF-Token": csrf}

        # One session, both processes: the shared database and secret key carry it.
        answered = set()
        for _ in range(8):
            resp = client.get("/")
            assert resp.status_code == 200 and 'data-csrf="' in resp.text
            answered.add(resp.headers["X-Upstream"])
        assert answered == {f"127.0.0.1:{p}" for p in app_ports}
        assert client.get("/metrics").status_code == 403  # kept off the public entrance

        # A streamed answer: events arrive one by one through nginx (no buffering), so the
        # stop clicked after the first token (sent to either process, relayed by Redis) cuts
        # the generation short.
        sent = client.post(
            "/conversations",
            data={"content": "Raconte une très longue histoire sur une mairie de village."},
            headers=headers,
        )
        assert sent.status_code == 200, sent.text
        created = sent.json()
        received, first = b"", 0
        with client.stream("GET", created["stream_url"], timeout=120) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            for part in stream.iter_raw():
                received += part
                if not first and b"event: token" in received:
                    # What came with the first token: one event, not a proxy buffer's worth
                    # (nginx buffering would hold them until 4-8 KB had piled up).
                    first = len(received)
                    stop = client.post(created["stop_url"], headers=headers)
                    assert stop.status_code == 204, stop.text
        events = received.decode().split("\n\n")
        tokens = sum(e.startswith("event: token") for e in events)
        done = next(e for e in events if e.startswith("event: done"))
        assert 0 < first < 1024, first
        assert '"status": "stopped"' in done, done
        assert 1 <= tokens < MAX_TOKENS

        # A document analysed by the worker process (the web processes run no jobs).
        resp = client.post(
            "/documents/collections", data={"name": "Délibérations"}, headers=headers
        )
        assert resp.status_code == 303, resp.text
        collection = int(resp.headers["location"].rsplit("/", 1)[1])
        note = "Le conseil municipal a voté le budget de la cantine scolaire le 4 décembre 2026.\n"
        resp = client.post(
            f"/documents/collections/{collection}/depot",
            data={"csrf_token": csrf},
            files=[("files", ("deliberation.txt", note.encode() * 5, "text/plain"))],
        )
        assert resp.status_code == 200, resp.text
        with session_scope(sessions) as db:
            job_id = db.scalars(select(Job.id).where(Job.kind == INGEST)).one()
        deadline, progress = time.monotonic() + 120, {}
        while time.monotonic() < deadline:
            progress = client.get(
                f"/travaux/{job_id}", headers={"Accept": "application/json"}
            ).json()
            if progress["finished"]:
                break
            time.sleep(0.5)
        assert progress["status"] == "done", progress

        # One process stopped (a rolling restart): nginx sends everything to the other one.
        down, _ = apps[0]
        down.terminate()
        down.wait(30)
        for _ in range(4):
            resp = client.get("/")
            assert resp.status_code == 200 and 'data-csrf="' in resp.text
            assert resp.headers["X-Upstream"].endswith(f"127.0.0.1:{app_ports[1]}")
        client.close()
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        engine.dispose()
