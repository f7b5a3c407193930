"""Load test: 200 concurrent users mixing pages, search and streamed chat, on both profiles.

The model is `bench/synthetic_upstream.py` (OpenAI-compatible, streams `--tokens` words at
`--rate` tokens/s after `--ttft-ms`), so that what is measured is Civia, not a model. Profiles:
- embedded: one `civia serve`, SQLite (as `civia demo load` sets it up);
- scale: nginx from Debian in front of two `civia serve` processes, Redis and PostgreSQL (a
  fresh schema), with the deployed upstream block and proxy snippet, as
  tests/ops/test_scale_profile.py runs them.

Phases, each bounded in time, all traffic on 127.0.0.1:
1. one user: streamed calls one at a time, alternately direct to the upstream and through
   Civia's /v1/chat/completions: time to first token added, and Civia's CPU per call;
2. streams only: `--stream-users` users streaming through Civia, then the same directly:
   CPU per streamed call of Civia's processes and of the upstream;
3. the mix: `--users` users, each in a loop of think time then one action: a page (home,
   documents, acts, new conversation), a search (acts, conversation list) or a streamed chat
   call (two in three through Civia, one in three direct, in the same run: the time to first
   token added by Civia is the difference of the two distributions).
Writes bench/results/load-<profile>.md. Usage:
  python bench/bench_load.py --profile embedded [--users 200 --duration 60]
  python bench/bench_load.py --profile scale
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_gateway import ACCEPT_CHARTER  # noqa: E402
from bench.common import (  # noqa: E402
    Machine,
    Server,
    free_port,
    percentile,
    process_cpu_s,
    rss_mb,
    running,
    start_server,
    table,
    write_results,
)

MODEL = "synthetique"
REDIS_URL = "redis://127.0.0.1:6379/0"
PAGES = ("/", "/documents", "/actes", "/conversations/nouvelle")
SEARCHES = ("/actes?q={w}", "/conversations/liste?q={w}")
WORDS = ("budget", "cantine", "voirie", "école", "marché", "urbanisme", "eau", "conseil")
USER_MESSAGE = (
    "Rédige un courrier de réponse à un usager qui demande les horaires d'ouverture de la "
    "mairie. La mairie est ouverte du lundi au vendredi de 8 h 30 à 12 h et de 13 h 30 à 17 h."
)
TIMEOUT = httpx.Timeout(120.0, connect=30.0, pool=120.0)


# --- the servers -----------------------------------------------------------------------------


@dataclass
class Stack:
    """What the bench talks to: Civia's entrance, its processes, the upstream."""

    base: str  # Civia's entrance (nginx or the one process)
    upstream: str  # .../v1 of the synthetic server
    token: str
    civia_pids: list[int]
    upstream_pid: int
    proxy_pids: list[int] = field(default_factory=list)


def python_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIA_")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env["PYTHONPATH"] = str(ROOT)
    return env | extra


def civia_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "civia.cli", *args],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"civia {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def setup_civia(env: dict[str, str], upstream: str) -> str:
    """Demo data, the synthetic upstream as default provider (hosting class `local`: cleared
    for everything, so no personal-data scan: its cost is measured apart), an API token."""
    civia_cli(env, "demo", "load")
    civia_cli(
        env, "providers", "add", "--name", "Synthétique (bench)", "--kind", "openai_compat",
        "--base-url", upstream, "--model", MODEL, "--hosting-class", "local", "--default",
    )  # fmt: skip
    subprocess.run([sys.executable, "-c", ACCEPT_CHARTER, "agent"], env=env, check=True)
    return civia_cli(env, "tokens", "create", "--user", "agent").strip().splitlines()[-1]


def start_upstream(args: argparse.Namespace, log_dir: Path) -> tuple[Server, str]:
    port = free_port()
    cmd = [
        sys.executable, str(ROOT / "bench" / "synthetic_upstream.py"), "--port", str(port),
        "--ttft-ms", str(args.ttft_ms), "--rate", str(args.rate),
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    return start_server("upstream", cmd, ready_url=f"{base}/models", log_dir=log_dir), base


def serve(env: dict[str, str], name: str, log_dir: Path, profile_to: Path | None) -> Server:
    port = free_port()
    cmd = [sys.executable]
    if profile_to is not None:
        cmd += ["-m", "cProfile", "-o", str(profile_to), "-m", "civia.cli"]
    else:
        cmd += ["-m", "civia.cli"]
    cmd += ["serve", "--host", "127.0.0.1", "--port", str(port), "--no-upgrade"]
    url = f"http://127.0.0.1:{port}/healthz"
    server = start_server(name, cmd, ready_url=url, log_dir=log_dir, env=env, timeout_s=300)
    server.port = port  # type: ignore[attr-defined]
    return server


def bench_settings() -> dict[str, str]:
    return {
        "CIVIA_MODE": "demo",
        "CIVIA_LOCAL_MODEL_ENABLED": "false",
        # One token serves every simulated API user: its rate limit is lifted for the bench.
        "CIVIA_API_RATE_LIMIT": "1000000/minute",
        "CIVIA_RETENTION_SWEEP_HOURS": "0",
        # No background jobs in the web processes (as with `civia worker` processes): the
        # demo's one-off work (its mail analysed, the steering roll-ups built, which loads the
        # personal-data engine) would otherwise be measured as the requests' cost.
        "CIVIA_JOBS_IN_PROCESS": "false",
    }


@contextmanager
def embedded(args: argparse.Namespace, tmp: Path) -> Iterator[Stack]:
    with ExitStack() as stack:
        upstream_server, upstream = start_upstream(args, tmp)
        stack.enter_context(running(upstream_server))
        data = tmp / "data"
        data.mkdir()
        env = python_env(
            bench_settings()
            | {"CIVIA_DATA_DIR": str(data), "CIVIA_DATABASE_URL": f"sqlite:///{data / 'civia.db'}"}
        )
        token = setup_civia(env, upstream)
        web = serve(env, "web", tmp, args.cprofile)
        stack.enter_context(running(web))
        yield Stack(
            f"http://127.0.0.1:{web.port}",  # type: ignore[attr-defined]
            upstream, token, [web.proc.pid], upstream_server.proc.pid,
        )  # fmt: skip


@contextmanager
def pg_schema() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    from tests.conftest import PG_URL

    schema = "bench_" + uuid.uuid4().hex[:10]
    admin = create_engine(PG_URL)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        conn.commit()
    try:
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.commit()
        admin.dispose()


@contextmanager
def at_scale(args: argparse.Namespace, tmp: Path) -> Iterator[Stack]:
    from tests.ops.test_scale_profile import NGINX, nginx_conf

    with ExitStack() as stack:
        upstream_server, upstream = start_upstream(args, tmp)
        stack.enter_context(running(upstream_server))
        db_url = stack.enter_context(pg_schema())
        data = tmp / "data"
        data.mkdir()
        env = python_env(
            bench_settings()
            | {
                "CIVIA_DATA_DIR": str(data),
                "CIVIA_DATABASE_URL": db_url,
                "CIVIA_REDIS_URL": REDIS_URL,
                "CIVIA_TRUSTED_PROXIES": "127.0.0.1",
            }
        )
        token = setup_civia(env, upstream)
        webs = [serve(env, f"web{i}", tmp, None) for i in range(2)]
        for web in webs:
            stack.enter_context(running(web))
        port, prefix = free_port(), tmp / "nginx"
        prefix.mkdir()
        conf = nginx_conf(prefix, port, [w.port for w in webs])  # type: ignore[attr-defined]
        # The test's 64 connections per worker would refuse 200 users (the deployed site
        # inherits Debian's nginx.conf: 768 per worker, and auto workers).
        conf = conf.replace("worker_connections 64;", "worker_connections 2048;")
        conf = conf.replace("worker_processes 1;", "worker_processes 2;")
        conf = conf.replace(f"access_log {prefix}/access.log;", "access_log off;")
        (prefix / "nginx.conf").write_text(conf, encoding="utf-8")
        cmd = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e",
               str(prefix / "error.log")]  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        proxy = start_server("nginx", cmd, ready_url=f"{base}/healthz", log_dir=tmp)
        stack.enter_context(running(proxy))
        workers = subprocess.run(
            ["pgrep", "-P", str(proxy.proc.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        yield Stack(
            base, upstream, token, [w.proc.pid for w in webs], upstream_server.proc.pid,
            [proxy.proc.pid, *map(int, workers)],
        )  # fmt: skip


def cpu_of(pids: list[int]) -> float:
    return sum(process_cpu_s(p) for p in pids)


# --- the simulated users ---------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # page | search | chat-civia | chat-direct
    ok: bool
    latency_s: float
    ttft_s: float | None = None
    tokens: int = 0
    error: str = ""


@dataclass
class Results:
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == kind]


async def login(client: httpx.AsyncClient, login_name: str, role: str) -> None:
    page = await client.get("/connexion")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if token is None:
        raise RuntimeError(f"no login form: {page.status_code} {page.text[:300]}")
    resp = await client.post(
        "/connexion",
        data={
            "login": login_name,
            "password": f"{role}-demo-civia",
            "csrf_token": token.group(1),
            "suivant": "/",
        },
    )
    if resp.status_code != 303:
        raise RuntimeError(f"login refused: {resp.status_code} {resp.text[:300]}")


async def get_page(client: httpx.AsyncClient, kind: str, path: str) -> Outcome:
    start = time.perf_counter()
    try:
        resp = await client.get(path)
        # A page is a whole document; a search may answer with a short partial.
        ok = resp.status_code == 200 and (kind == "search" or b"</html>" in resp.content)
        error = "" if ok else f"{path}: HTTP {resp.status_code}"
    except httpx.HTTPError as exc:
        ok, error = False, f"{path}: {type(exc).__name__}"
    return Outcome(kind, ok, time.perf_counter() - start, error=error)


async def stream_chat(
    client: httpx.AsyncClient, kind: str, url: str, headers: dict[str, str], tokens: int
) -> Outcome:
    body = {
        "model": MODEL,
        "messages": [{"role": "user", "content": USER_MESSAGE}],
        "max_tokens": tokens,
        "stream": True,
    }
    start = time.perf_counter()
    ttft, pieces, error = None, 0, ""
    try:
        async with client.stream("POST", url, json=body, headers=headers) as resp:
            if resp.status_code != 200:
                await resp.aread()
                error = f"{kind}: HTTP {resp.status_code} {resp.text[:120]}"
            else:
                async for line in resp.aiter_lines():
                    if not line.startswith("data:") or line[5:].strip() == "[DONE]":
                        continue
                    obj = json.loads(line[5:])
                    if "error" in obj:
                        error = f"{kind}: error event {obj['error']}"
                        break
                    for choice in obj.get("choices") or []:
                        if (choice.get("delta") or {}).get("content"):
                            pieces += 1
                            if ttft is None:
                                ttft = time.perf_counter() - start
    except httpx.HTTPError as exc:
        error = f"{kind}: {type(exc).__name__}"
    if not error and pieces != tokens:
        error = f"{kind}: {pieces} content chunks instead of {tokens}"
    return Outcome(kind, not error, time.perf_counter() - start, ttft, pieces, error)


@dataclass
class Clients:
    sessions: list[httpx.AsyncClient]  # logged in, cookies kept
    api: httpx.AsyncClient
    stack: Stack
    tokens: int

    async def chat(self, direct: bool) -> Outcome:
        if direct:
            url, headers, kind = f"{self.stack.upstream}/chat/completions", {}, "chat-direct"
        else:
            url = f"{self.stack.base}/v1/chat/completions"
            headers, kind = {"Authorization": f"Bearer {self.stack.token}"}, "chat-civia"
        return await stream_chat(self.api, kind, url, headers, self.tokens)


async def open_clients(stack: Stack, sessions: int, tokens: int) -> Clients:
    # Idle connections dropped before uvicorn's 5 s keep-alive closes them under a request
    # (a browser retries such a request; httpx reports a ReadError).
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=400, keepalive_expiry=4.0)
    logged = []
    for _ in range(sessions):
        client = httpx.AsyncClient(base_url=stack.base, timeout=TIMEOUT, limits=limits)
        await login(client, "agent", "agent")
        logged.append(client)
    api = httpx.AsyncClient(timeout=TIMEOUT, limits=limits)
    return Clients(logged, api, stack, tokens)


async def close_clients(clients: Clients) -> None:
    for client in [*clients.sessions, clients.api]:
        await client.aclose()


async def mixed_user(
    n: int, clients: Clients, args: argparse.Namespace, until: float, out: Results
) -> None:
    rng = random.Random(n)
    session = clients.sessions[n % len(clients.sessions)]
    await asyncio.sleep(rng.uniform(0, args.ramp))
    while True:
        await asyncio.sleep(rng.uniform(0.5, 1.5) * args.think)
        if time.monotonic() >= until:
            return
        draw = rng.random()
        if draw < args.chat_share:
            out.outcomes.append(await clients.chat(direct=rng.random() < 1 / 3))
        elif draw < args.chat_share + args.search_share:
            path = rng.choice(SEARCHES).format(w=rng.choice(WORDS))
            out.outcomes.append(await get_page(session, "search", path))
        else:
            out.outcomes.append(await get_page(session, "page", rng.choice(PAGES)))


async def streams_only(clients: Clients, users: int, calls: int, direct: bool) -> list[Outcome]:
    """`calls` streamed calls, `users` at a time, no think time."""
    queue = list(range(calls))
    done: list[Outcome] = []

    async def user() -> None:
        while queue:
            queue.pop()
            done.append(await clients.chat(direct))

    await asyncio.gather(*(user() for _ in range(users)))
    return done


# --- the phases ------------------------------------------------------------------------------


@dataclass
class CpuPhase:
    label: str
    calls: int
    wall_s: float
    civia_cpu_s: float
    proxy_cpu_s: float
    upstream_cpu_s: float
    outcomes: list[Outcome]


def wait_idle(pids: list[int], limit: float = 0.05, timeout_s: float = 240.0) -> None:
    """Until Civia's start-up work is over (the demo's mail analysed by the embedded worker
    loads the personal-data engine, the steering roll-ups are built): below `limit` cores."""
    deadline = time.monotonic() + timeout_s
    while idle_rate(pids, 3.0) > limit and time.monotonic() < deadline:
        pass


def idle_rate(pids: list[int], seconds: float = 3.0) -> float:
    before = cpu_of(pids)
    time.sleep(seconds)
    return (cpu_of(pids) - before) / seconds


async def measured(
    stack: Stack, label: str, calls: int, coro: Any, idle: dict[str, float]
) -> CpuPhase:
    c0, p0, u0 = cpu_of(stack.civia_pids), cpu_of(stack.proxy_pids), cpu_of([stack.upstream_pid])
    start = time.monotonic()
    outcomes = await coro
    wall = time.monotonic() - start
    return CpuPhase(
        label,
        calls,
        wall,
        max(cpu_of(stack.civia_pids) - c0 - idle["civia"] * wall, 0.0),
        max(cpu_of(stack.proxy_pids) - p0 - idle["proxy"] * wall, 0.0),
        max(cpu_of([stack.upstream_pid]) - u0 - idle["upstream"] * wall, 0.0),
        outcomes,
    )


async def one_user(clients: Clients, runs: int) -> list[Outcome]:
    out = []
    for i in range(2 * runs):
        out.append(await clients.chat(direct=i % 2 == 0))
    return out


async def run_all(stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    clients = await open_clients(stack, args.sessions, args.tokens)
    spy = None
    try:
        for _ in range(3):  # warm-up: first imports, connection pools, caches
            await clients.chat(direct=False)
            for path in (*PAGES, SEARCHES[0].format(w="budget")):
                await get_page(clients.sessions[0], "page", path)
        wait_idle(stack.civia_pids)
        idle = {
            "civia": idle_rate(stack.civia_pids, 5.0),
            "proxy": idle_rate(stack.proxy_pids, 1.0),
            "upstream": idle_rate([stack.upstream_pid], 1.0),
        }
        if args.py_spy:
            spy = subprocess.Popen(
                [args.py_spy_bin, "record", "-p", str(stack.civia_pids[0]),
                 "-r", str(args.py_spy_rate), "-f", "raw", "-o", str(args.py_spy), "--nonblocking"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        print("phase 1: one user", flush=True)
        single = await measured(stack, "one user", args.runs, one_user(clients, args.runs), idle)
        print("phase 2: streams only", flush=True)
        n, u = args.stream_calls, args.stream_users
        through = await measured(
            stack, "through Civia", n, streams_only(clients, u, n, direct=False), idle
        )
        direct = await measured(stack, "direct", n, streams_only(clients, u, n, direct=True), idle)
        load_after_streams = os.getloadavg()[0]
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(60)
        rss_before = [rss_mb(p) for p in stack.civia_pids]
        mix = None
        if not args.no_mix:
            print(f"phase 3: {args.users} users for {args.duration:.0f} s", flush=True)
            results = Results()
            until = time.monotonic() + args.duration
            mix_coro = asyncio.gather(
                *(mixed_user(i, clients, args, until, results) for i in range(args.users))
            )
            mix = await measured(stack, "mix", 0, mix_coro, idle)
            mix.outcomes = results.outcomes
        rss_after = [rss_mb(p) for p in stack.civia_pids]
    finally:
        await close_clients(clients)
    return {
        "idle": idle,
        "single": single,
        "through": through,
        "direct": direct,
        "mix": mix,
        "rss": (rss_before, rss_after),
        "load_after_streams": load_after_streams,
    }


# --- the personal-data scan, apart --------------------------------------------------------

LETTER = (
    "Objet : demande de logement social. Madame, Monsieur, je me permets de vous écrire au sujet "
    "de la demande déposée par Mme Jeanne Dupont, née le 12 mars 1984, domiciliée 14 rue des "
    "Lilas, 35000 Rennes. Elle vit avec ses deux enfants et son compagnon, M. Karim Benali, dans "
    "un deux-pièces devenu trop petit. Vous pouvez la joindre au 06 12 34 56 78 ou par courriel "
    "à jeanne.dupont@example.fr. Son dossier a été transmis au service habitat le 4 novembre ; "
    "le bailleur, Rennes Métropole Habitat, nous indique qu'un logement pourrait se libérer au "
    "printemps. Nous vous remercions de bien vouloir examiner sa situation lors de la prochaine "
    "commission d'attribution et de nous tenir informés de la suite donnée. Je reste à votre "
    "disposition pour tout complément. Veuillez agréer, Madame, Monsieur, l'expression de mes "
    "salutations distinguées. Paul Martin, conseiller municipal délégué au logement."
)


def pii_cost(runs: int) -> dict[str, float]:
    """CPU of the scan of one ~1,000-character letter, in this process: the first time a text
    is seen (spaCy + Presidio), and again (a conversation's history, remembered by digest)."""
    from civia.privacy import routing
    from civia.privacy.engine import detect

    detect(LETTER, types=routing.RAISES)  # loads the engine (not timed)
    fresh, again = [], []
    for i in range(runs):
        text = f"{LETTER} (dossier n° {1000 + i})"
        start = time.process_time()
        found = routing._scan_once(text)
        fresh.append(time.process_time() - start)
        start = time.process_time()
        assert routing._scan_once(text) == found
        again.append(time.process_time() - start)
    per_k = 1000 / (len(LETTER) + 20)
    return {
        "chars": float(len(LETTER) + 20),
        "entities": float(len(found)),
        "fresh_ms_per_1000": percentile(fresh, 50) * 1000 * per_k,
        "again_ms_per_1000": percentile(again, 50) * 1000 * per_k,
    }


def pii_section(cost: dict[str, float]) -> list[str]:
    return [
        "",
        "### The personal-data scan, apart",
        "",
        f"It runs only for a model not cleared for everything (not `local`); the streamed calls "
        f"above go to a `local` model. One letter of {cost['chars']:.0f} characters "
        f"({cost['entities']:.0f} items found), CPU time in the bench process, median of the "
        f"runs: **{cost['fresh_ms_per_1000']:.0f} ms per 1,000 characters** the first time a "
        f"text is scanned, {cost['again_ms_per_1000']:.2f} ms when it comes again (every earlier "
        "message of a conversation, with every turn: remembered by digest and offsets).",
    ]


# --- report ----------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def pcts(values: list[float]) -> list[str]:
    if not values:
        return ["–"] * 3
    return [ms(percentile(values, p)) for p in (50, 95, 99)]


def latency_rows(outcomes: list[Outcome], kinds: list[str], wall: float) -> list[list[str]]:
    rows = []
    for kind in kinds:
        done = [o for o in outcomes if o.kind == kind]
        ok = [o.latency_s for o in done if o.ok]
        errors = len(done) - len(ok)
        rows.append([kind, str(len(done)), str(errors), f"{len(done) / wall:.1f}", *pcts(ok)])
    return rows


def ttft_of(outcomes: list[Outcome], kind: str) -> list[float]:
    return [o.ttft_s for o in outcomes if o.kind == kind and o.ok and o.ttft_s is not None]


def added_row(label: str, outcomes: list[Outcome]) -> list[str]:
    civia, direct = ttft_of(outcomes, "chat-civia"), ttft_of(outcomes, "chat-direct")
    if not civia or not direct:
        return [label, "–", "–", "–", "–", "–", "–"]
    added = [f"{(percentile(civia, p) - percentile(direct, p)) * 1000:+.0f}" for p in (50, 95, 99)]
    return [label, *(f"{a} / {b}" for a, b in zip(pcts(direct), pcts(civia), strict=True)), *added]


def report(profile: str, machine: Machine, args: argparse.Namespace, r: dict[str, Any]) -> str:
    single, through, direct, mix = r["single"], r["through"], r["direct"], r["mix"]
    processes = "one `civia serve` (uvicorn), SQLite"
    if profile == "scale":
        processes = (
            "nginx (Debian, 2 workers, deploy/nginx upstream block and proxy snippet) in front "
            "of two `civia serve` processes, Redis, PostgreSQL (fresh schema)"
        )
    errors = [o.error for o in mix.outcomes if not o.ok] if mix is not None else []
    errors += [o.error for p in (single, through, direct) for o in p.outcomes if not o.ok]
    title = f"{args.users} concurrent users" if mix is not None else "one user and streams only"
    lines = [
        f"## Load: {title}, {profile} profile (`bench/bench_load.py --profile {profile}"
        f"{' --no-mix' if mix is None else ''}`)",
        "",
        machine.markdown(),
        f"- Civia: {processes}; demo data (`civia demo load`), one API token; the model is "
        f"`bench/synthetic_upstream.py`: {args.tokens} tokens per answer, first after "
        f"{args.ttft_ms:.0f} ms, then {args.rate:.0f} tokens/s per stream, one SSE chunk each.",
        "- The client (httpx, asyncio, one process) runs on the same 2 cores: its own CPU is "
        "taken from the servers'. All traffic on 127.0.0.1.",
        "",
        "### One user (streamed calls one at a time, direct and through Civia alternately)",
        "",
        table(
            ["path", "calls", "TTFT p50 (ms)", "TTFT min (ms)", "total p50 (ms)"],
            [
                [
                    kind,
                    str(len(ttft_of(single.outcomes, kind))),
                    ms(percentile(ttft_of(single.outcomes, kind), 50)),
                    ms(min(ttft_of(single.outcomes, kind))),
                    ms(percentile([o.latency_s for o in single.outcomes if o.kind == kind], 50)),
                ]
                for kind in ("chat-direct", "chat-civia")
            ],
        ),
        "",
        f"Time to first token added by Civia at one user: "
        f"{added_row('', single.outcomes)[4]} ms at p50. CPU of Civia's processes: "
        f"**{single.civia_cpu_s / single.calls * 1000:.1f} ms per streamed call** of "
        f"{args.tokens} tokens (idle use removed; {single.calls} calls); the upstream itself "
        f"spent {single.upstream_cpu_s / (2 * single.calls) * 1000:.1f} ms per call.",
        "",
        f"### Streams only: {args.stream_users} users streaming without pause, "
        f"{args.stream_calls} calls each way",
        "",
        table(
            [
                "path",
                "calls",
                "errors",
                "wall (s)",
                "calls/s",
                "TTFT p50/p95/p99 (ms)",
                "Civia CPU per call (ms)",
                "nginx CPU per call (ms)",
                "upstream CPU per call (ms)",
            ],
            [
                [
                    p.label,
                    str(len(p.outcomes)),
                    str(sum(not o.ok for o in p.outcomes)),
                    f"{p.wall_s:.1f}",
                    f"{len(p.outcomes) / p.wall_s:.1f}",
                    " / ".join(pcts([o.ttft_s for o in p.outcomes if o.ttft_s is not None])),
                    f"{p.civia_cpu_s / p.calls * 1000:.1f}",
                    f"{p.proxy_cpu_s / p.calls * 1000:.1f}",
                    f"{p.upstream_cpu_s / p.calls * 1000:.1f}",
                ]
                for p in (through, direct)
            ],
        ),
        "",
        f"Load average (1 min) when phase 2 ended: {r['load_after_streams']:.2f}.",
        "",
    ]
    if mix is not None:
        lines += mix_section(args, r)
    lines += [
        f"Errors: {len(errors)}"
        + (": " + "; ".join(sorted(set(errors))[:10]) if errors else " (goal: 0)."),
    ]
    return "\n".join(lines) + "\n"


def mix_section(args: argparse.Namespace, r: dict[str, Any]) -> list[str]:
    through, direct, mix = r["through"], r["direct"], r["mix"]
    return [
        f"### Mix: {args.users} users for {args.duration:.0f} s",
        "",
        f"Each user: think time {args.think * 0.5:.1f}–{args.think * 1.5:.1f} s, then a page "
        f"({', '.join(PAGES)}; {1 - args.chat_share - args.search_share:.0%}), a search "
        f"(acts or conversation list with a word; {args.search_share:.0%}) or a streamed "
        f"chat call ({args.chat_share:.0%}: two in three through Civia, one in three direct "
        f"to the upstream); starts spread over {args.ramp:.0f} s; {args.sessions} logged-in "
        f"sessions of `agent` shared by the users. Wall time {mix.wall_s:.0f} s (the last "
        "answers included).",
        "",
        table(
            ["kind", "requests", "errors", "per second", "p50 (ms)", "p95 (ms)", "p99 (ms)"],
            latency_rows(mix.outcomes, ["page", "search", "chat-civia", "chat-direct"], mix.wall_s),
        ),
        "",
        table(
            [
                "time to first token",
                "p50 direct / Civia (ms)",
                "p95",
                "p99",
                "added p50 (ms)",
                "added p95",
                "added p99",
            ],
            [
                added_row("mix", mix.outcomes),
                added_row("streams only", through.outcomes + direct.outcomes),
            ],
        ),
        "",
        f"Streamed tokens through Civia: {sum(o.tokens for o in mix.outcomes if o.kind == 'chat-civia') / mix.wall_s:.0f}/s. "  # noqa: E501
        f"CPU during the mix: Civia {mix.civia_cpu_s / mix.wall_s:.2f} cores, nginx "
        f"{mix.proxy_cpu_s / mix.wall_s:.2f}, upstream {mix.upstream_cpu_s / mix.wall_s:.2f}. "
        f"RSS of Civia's processes (MiB) before / after: "
        f"{', '.join(f'{a:.0f} / {b:.0f}' for a, b in zip(*r['rss'], strict=True))}.",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=("embedded", "scale"), default="embedded")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=5.0, help="mean think time (s)")
    parser.add_argument("--ramp", type=float, default=10.0)
    parser.add_argument("--chat-share", type=float, default=0.3)
    parser.add_argument("--search-share", type=float, default=0.2)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--ttft-ms", type=float, default=50.0)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=15, help="one-user calls per path")
    parser.add_argument("--stream-users", type=int, default=20)
    parser.add_argument("--stream-calls", type=int, default=100)
    parser.add_argument(
        "--cprofile", type=Path, default=None, help="embedded: cProfile `civia serve` to this file"
    )
    parser.add_argument(
        "--py-spy",
        type=Path,
        default=None,
        help="record the first Civia process with py-spy during phases 1-2 (collapsed stacks)",
    )
    parser.add_argument("--py-spy-rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--py-spy-bin", default=shutil.which("py-spy") or "py-spy")
    parser.add_argument("--pii-runs", type=int, default=0, help="also time the PII scan")
    parser.add_argument("--out", default="", help="results name (default load-<profile>)")
    parser.add_argument("--no-mix", action="store_true", help="phases 1-2 only (no 200-user mix)")
    parser.add_argument("--keep-logs", type=Path, default=None, help="copy the servers' logs here")
    args = parser.parse_args()
    if (
        args.profile == "scale"
        and not shutil.which("nginx")
        and not Path("/usr/sbin/nginx").exists()
    ):
        sys.exit("nginx is not installed")
    machine = Machine()
    with tempfile.TemporaryDirectory(prefix="civia-bench-load-") as tmp:
        starter = embedded if args.profile == "embedded" else at_scale
        try:
            with starter(args, Path(tmp)) as stack:
                results = asyncio.run(run_all(stack, args))
        finally:
            if args.keep_logs is not None:  # the servers' logs, before the folder goes
                args.keep_logs.mkdir(parents=True, exist_ok=True)
                for log in Path(tmp).glob("*.log"):
                    shutil.copy(log, args.keep_logs / log.name)
    pii = pii_cost(args.pii_runs) if args.pii_runs else None
    machine.finish()
    text = report(args.profile, machine, args, results)
    if pii is not None:
        text += "\n".join(pii_section(pii)) + "\n"
    write_results(args.out or f"load-{args.profile}", text)


if __name__ == "__main__":
    main()
