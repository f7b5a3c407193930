"""The at-scale profile on real processes, each of which the fault bench may kill or restart:
a throwaway PostgreSQL cluster and a Redis of its own (other ports than the shared ones), the
data folder on a small tmpfs (so that the disk can fill), the streaming upstream of
bench/stream_upstream.py, two `civia serve` behind nginx (the deployed configuration, built by
tests/ops/test_scale_profile.py) and one `civia worker`. Needs root (mount, the postgres user).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.common import ROOT, Server, free_port, start_server, stop_server
from civia.accounts.passwords import hash_password
from civia.db.base import Base
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.providers.models import HostingClass, Provider
from tests.conftest import PASSWORD, make_personas
from tests.ops.test_scale_profile import NGINX, _login, nginx_conf

PG_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
UPSTREAM_DELAY_S = 0.05  # between two streamed words: 200 words take 10 s
DATA_MB = 48  # the tmpfs holding CIVIA_DATA_DIR


def _as_postgres(cmd: list[str], log: Path | None = None) -> None:
    out = log.open("ab") if log else subprocess.DEVNULL
    try:
        subprocess.run(cmd, user="postgres", check=True, stdout=out, stderr=subprocess.STDOUT,
                       timeout=90)  # fmt: skip
    finally:
        if log:
            out.close()  # type: ignore[union-attr]


@dataclass
class Postgres:
    """A cluster of its own (initdb), started and stopped with pg_ctl as `postgres`."""

    root: Path
    port: int = field(default_factory=free_port)

    def init(self) -> None:
        self.root.mkdir(mode=0o755)
        owner = pwd.getpwnam("postgres")
        os.chown(self.root, owner.pw_uid, owner.pw_gid)
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(self.root / "data"), "-U", "postgres",
                      "-A", "trust", "--no-sync"], self.root / "initdb.log")  # fmt: skip
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.root / "data"), "-l",
                      str(self.root / "server.log"), "-o", opts, "-w", *args])  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def restart(self) -> None:
        self._ctl("-m", "fast", "restart")


@dataclass
class Redis:
    """A redis-server of its own, saving its data on shutdown like a packaged one."""

    root: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.root.mkdir(exist_ok=True)
        log = (self.root / "redis.log").open("ab")
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.root), "--save", "3600 1", "--appendonly", "no"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                import socket

                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(20)


@dataclass
class Stack:
    work: Path
    pg: Postgres
    redis: Redis
    data: Path
    env: dict[str, str]
    upstream_port: int = field(default_factory=free_port)
    app_ports: list[int] = field(default_factory=lambda: [free_port(), free_port()])
    port: int = field(default_factory=free_port)  # nginx
    servers: dict[str, Server] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def logs(self) -> Path:
        return self.work / "logs"

    def start(self, name: str) -> Server:
        """Start (or start again) one of: upstream, web0, web1, worker, nginx."""
        py = [sys.executable]
        if name == "upstream":
            cmd = [*py, str(ROOT / "bench" / "stream_upstream.py"), "--port",
                   str(self.upstream_port), "--delay", str(UPSTREAM_DELAY_S)]  # fmt: skip
            ready = f"http://127.0.0.1:{self.upstream_port}/v1/models"
        elif name.startswith("web"):
            app_port = self.app_ports[int(name[3:])]
            cmd = [*py, "-m", "civia.cli", "serve", "--host", "127.0.0.1", "--port",
                   str(app_port), "--no-upgrade"]  # fmt: skip
            ready = f"http://127.0.0.1:{app_port}/healthz"
        elif name == "worker":
            cmd = [*py, "-m", "civia.cli", "worker", "--queues", "ingestion=1,redaction=1"]
            ready = ""
        else:
            prefix = self.work / "nginx"
            cmd = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                   "-e", str(prefix / "error.log")]  # fmt: skip
            ready = f"{self.base}/healthz"
        if ready:
            server = start_server(name, cmd, ready_url=ready, log_dir=self.logs(), env=self.env,
                                  timeout_s=240)  # fmt: skip
        else:
            log_path = self.logs() / f"{name}.log"
            log = log_path.open("ab")
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                    start_new_session=True)  # fmt: skip
            server = Server(name, proc, log_path, log)
        self.servers[name] = server
        return server

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill a process (its whole group) without letting it clean up, and reap it."""
        server = self.servers.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, sig)
        server.proc.wait(30)
        server.log.close()

    def client(self, login: str = "agent") -> tuple[httpx.Client, str]:
        client = httpx.Client(base_url=self.base, timeout=60)
        return client, _login(client, login)

    def close(self) -> None:
        for server in list(self.servers.values()):
            stop_server(server)
        self.servers.clear()
        self.redis.stop()
        with contextlib.suppress(subprocess.SubprocessError):
            self.pg.stop()
        subprocess.run(["umount", str(self.data)], check=False)


def _configure(url: str, upstream: str) -> None:
    """The tests' personas (charter accepted) and, as each tenant's default model, the
    streaming upstream."""
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with session_scope(make_sessionmaker(engine)) as db:
        personas = make_personas(db, hash_password(PASSWORD))
        for provider in db.query(Provider):
            provider.is_default = False
        for tenant in (personas.tenant, personas.other_tenant):
            db.add(Provider(tenant_id=tenant.id, name="Serveur de modèle (banc)",
                            kind="openai_compat", base_url=upstream, models=["faults-model"],
                            hosting_class=HostingClass.LOCAL.value, is_default=True))  # fmt: skip
    engine.dispose()


def build() -> Stack:
    """Everything up and answering through nginx; `close()` undoes it (even half-built)."""
    work = Path(tempfile.mkdtemp(prefix="civia-faults-"))
    work.chmod(0o755)  # the postgres user enters it
    data = work / "data"
    data.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DATA_MB}m", "tmpfs", str(data)],
                   check=True)  # fmt: skip
    (work / "logs").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIA_")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    stack = Stack(work, Postgres(work / "pg"), Redis(work / "redis"), data, env)
    try:
        stack.pg.init()
        stack.redis.start()
        env.update(
            PYTHONPATH=str(ROOT),
            CIVIA_DATA_DIR=str(data),
            CIVIA_DATABASE_URL=stack.pg.url,
            CIVIA_REDIS_URL=stack.redis.url,
            CIVIA_SECRET_KEY="cle-secrete-du-banc-des-pannes-" + uuid.uuid4().hex,
            CIVIA_TRUSTED_PROXIES="127.0.0.1",
            CIVIA_JOBS_IN_PROCESS="false",
            CIVIA_RETENTION_SWEEP_HOURS="0",
            CIVIA_LOCAL_MODEL_ENABLED="false",
            CIVIA_MAX_TOKENS="200",
        )
        upstream = f"http://127.0.0.1:{stack.upstream_port}/v1"
        _configure(stack.pg.url, upstream)
        prefix = work / "nginx"
        prefix.mkdir()
        conf = nginx_conf(prefix, stack.port, stack.app_ports)
        (prefix / "nginx.conf").write_text(conf, encoding="utf-8")
        for name in ("upstream", "web0", "web1", "worker", "nginx"):
            stack.start(name)
    except BaseException:
        stack.close()
        raise
    return stack


def remove(stack: Stack) -> None:
    shutil.rmtree(stack.work, ignore_errors=True)
