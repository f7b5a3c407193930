"""The fair queue of the local model, seen by 8 users at once, against the real bundled model.

One `civia serve` (embedded profile, demo data, CIVIA_MODE=demo) with its default bundled
llama.cpp model, which generates one answer at a time behind civia/providers/fair_queue.py.
8 agents (the demo's `agent` and extra accounts made with `civia users create`) log in through
the login form, then:
1. together: each sends one short chat message at the same moment and reads its SSE stream;
2. fairness: `agent` sends 3 messages at once (3 conversations), the 7 others one each, at the
   same moment: no one's request should wait behind `agent`'s second or third one.
For every request: the `queued` positions seen (in order), time to first token, total time,
tokens, errors. Writes bench/results/queue.md.
Usage: python bench/bench_queue.py [--users 8 --max-tokens 24]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_gateway import ACCEPT_CHARTER  # noqa: E402
from bench.bench_load import bench_settings, civia_cli, login, python_env, serve  # noqa: E402
from bench.common import Machine, percentile, running, table, write_results  # noqa: E402

MESSAGE = "Réponds en une phrase très courte : à quoi sert une mairie ?"
TIMEOUT = httpx.Timeout(600.0, connect=30.0)


@dataclass
class Request:
    user: str
    index: int  # the user's n-th request in the phase (1-based)
    sent_at: float = 0.0
    positions: list[int] = field(default_factory=list)
    ttft_s: float | None = None
    first_token_at: float | None = None
    total_s: float = 0.0
    tokens: int = 0
    status: str = ""
    error: str = ""


def setup(env: dict[str, str], users: int) -> list[str]:
    """Demo data and `users` agents with the charter accepted; returns their logins."""
    civia_cli(env, "demo", "load")
    logins = ["agent"] + [f"agent{i}" for i in range(2, users + 1)]
    for name in logins[1:]:
        civia_cli(
            env, "users", "create", name, "--role", "agent", "--name", f"Agent {name[5:]}",
            "--password", "agent-demo-civia",
        )  # fmt: skip
    for name in logins:
        subprocess.run([sys.executable, "-c", ACCEPT_CHARTER, name], env=env, check=True)
    return logins


async def session(base: str, name: str) -> tuple[httpx.AsyncClient, str]:
    client = httpx.AsyncClient(base_url=base, timeout=TIMEOUT)
    await login(client, name, "agent")
    home = await client.get("/")
    csrf = re.search(r'data-csrf="([^"]+)"', home.text)
    if csrf is None:
        raise RuntimeError(f"no CSRF token for {name}: {home.status_code}")
    return client, csrf.group(1)


async def ask(client: httpx.AsyncClient, csrf: str, req: Request, start: asyncio.Event) -> None:
    await start.wait()
    req.sent_at = time.perf_counter()
    try:
        sent = await client.post(
            "/conversations", data={"content": MESSAGE}, headers={"X-CSRF-Token": csrf}
        )
        if sent.status_code != 200:
            req.error = f"HTTP {sent.status_code} {sent.text[:120]}"
            return
        async with client.stream("GET", sent.json()["stream_url"]) as resp:
            buf = ""
            async for part in resp.aiter_text():
                buf += part
                while "\n\n" in buf:
                    event, buf = buf.split("\n\n", 1)
                    name, _, data = event.partition("\ndata: ")
                    payload = json.loads(data) if data else {}
                    if name == "event: queued":
                        req.positions.append(int(payload["position"]))
                    elif name == "event: token":
                        req.tokens += 1
                        if req.first_token_at is None:
                            req.first_token_at = time.perf_counter()
                            req.ttft_s = req.first_token_at - req.sent_at
                    elif name == "event: done":
                        req.status = payload.get("status", "")
                        req.error = payload.get("error", "") or ""
    except httpx.HTTPError as exc:
        req.error = type(exc).__name__
    finally:
        req.total_s = time.perf_counter() - req.sent_at
    if not req.error and req.status != "ok":
        req.error = f"ended with status {req.status!r}"
    if not req.error and req.tokens == 0:
        req.error = "no token"


async def phase(
    sessions: dict[str, tuple[httpx.AsyncClient, str]], per_user: dict[str, int]
) -> tuple[list[Request], float]:
    start = asyncio.Event()
    reqs = [Request(u, i) for u, n in per_user.items() for i in range(1, n + 1)]
    tasks = [asyncio.create_task(ask(*sessions[r.user], r, start)) for r in reqs]
    await asyncio.sleep(0.2)  # every task is waiting on the event
    t0 = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - t0
    # Number each user's requests in the order the model served them: the line is FIFO within a
    # user, so this is also the order in which they joined it (the client's order is not).
    for user in per_user:
        mine = sorted((r for r in reqs if r.user == user), key=start_of)
        for i, r in enumerate(mine, 1):
            r.index = i
    return reqs, wall


def start_of(r: Request) -> float:
    return r.first_token_at or float("inf")


def fmt(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.1f} s"


def rows(reqs: list[Request]) -> list[list[str]]:
    ordered = sorted(reqs, key=start_of)
    return [
        [
            str(rank), r.user + (f" #{r.index}" if r.index > 1 or any(
                o.user == r.user and o.index > 1 for o in reqs) else ""),
            " → ".join(map(str, r.positions)) or "(none: model free)",
            fmt(r.ttft_s), fmt(r.total_s), str(r.tokens), r.error or "—",
        ]
        for rank, r in enumerate(ordered, 1)
    ]  # fmt: skip


def summary(reqs: list[Request]) -> list[str]:
    ttfts = [r.ttft_s for r in reqs if r.ttft_s is not None]
    errors = [r for r in reqs if r.error]
    out = [
        f"- requests: {len(reqs)}, answered: {len(reqs) - len(errors)}, errors: {len(errors)}",
    ]
    if ttfts:
        out.append(
            f"- time to first token: p50 {percentile(ttfts, 50):.1f} s, "
            f"max {max(ttfts):.1f} s, min {min(ttfts):.1f} s"
        )
    return out


def fairness(reqs: list[Request], heavy: str) -> list[str]:
    """Did any other user's request get the model after `heavy`'s second one?"""
    order = sorted(reqs, key=start_of)
    later = [r for r in order if r.user == heavy and r.index >= 2]
    behind = [o for o in order if o.user != heavy and any(start_of(o) > start_of(s) for s in later)]
    ranks = ", ".join(str(order.index(r) + 1) for r in later)
    first = order.index(next(r for r in order if r.user == heavy)) + 1
    return [
        f"- `{heavy}` sent 3 requests at once; its 2nd and 3rd got the model at rank {ranks} of "
        f"{len(reqs)} (its 1st at rank {first})",
        f"- other users' requests served after one of `{heavy}`'s 2nd/3rd: {len(behind)}"
        + (" (" + ", ".join(o.user for o in behind) + ")" if behind else " (none: fair)"),
    ]


def rises(reqs: list[Request]) -> list[str]:
    """Requests whose announced position went up while they waited (someone served less
    recently, or with fewer requests in the line, joined ahead of them)."""
    up = [r for r in reqs if any(b > a for a, b in itertools.pairwise(r.positions))]
    return [f"- requests whose announced position rose at least once while waiting: {len(up)}"]


async def run(base: str, logins: list[str]) -> dict[str, tuple[list[Request], float]]:
    sessions = {name: await session(base, name) for name in logins}
    try:
        # Warm-up: the model is loaded on first use; not measured as queueing.
        warm = Request(logins[0], 0)
        ev = asyncio.Event()
        ev.set()
        load_start = time.perf_counter()
        await ask(*sessions[logins[0]], warm, ev)
        warm_s = time.perf_counter() - load_start
        together = await phase(sessions, {u: 1 for u in logins})
        heavy = await phase(sessions, {u: (3 if u == logins[0] else 1) for u in logins})
        return {"warm": ([warm], warm_s), "together": together, "heavy": heavy}
    finally:
        for client, _ in sessions.values():
            await client.aclose()


def report(
    machine: Machine, args: argparse.Namespace, results: dict[str, tuple[list[Request], float]]
) -> str:
    header = ["first token rank", "user", "queued positions seen", "TTFT", "total", "tokens",
              "error"]  # fmt: skip
    (warm,), warm_s = results["warm"]
    together, together_s = results["together"]
    heavy, heavy_s = results["heavy"]
    lines = [
        "# The local model's fair queue under 8 concurrent users",
        "",
        machine.markdown(),
        "",
        f"One `civia serve` (embedded profile, SQLite, demo data, CIVIA_MODE=demo), its default "
        f"bundled llama.cpp model in process (one generation at a time), "
        f"CIVIA_MAX_TOKENS={args.max_tokens}. Message: « {MESSAGE} ». Each user logs in through "
        "the form, POSTs /conversations and reads the answer's SSE stream; `queued` events carry "
        "the position (« En file d'attente : N demandes avant la vôtre »). "
        "Command: `python bench/bench_queue.py`.",
        "",
        f"Warm-up (model load + one answer, alone): {warm_s:.1f} s, {warm.tokens} tokens, "
        f"error: {warm.error or 'none'}.",
        "",
        f"## 1. {len(together)} users, one message each, at the same moment "
        f"(wall {together_s:.1f} s)",
        "",
        *summary(together),
        *rises(together),
        "",
        table(header, rows(together)),
        "",
        f"## 2. Fairness: `agent` sends 3 at once, the {len(together) - 1} others one each "
        f"(wall {heavy_s:.1f} s)",
        "",
        *summary(heavy),
        *fairness(heavy, "agent"),
        *rises(heavy),
        "",
        table(header, rows(heavy)),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=24)
    args = parser.parse_args()
    machine = Machine()
    with tempfile.TemporaryDirectory(prefix="civia-queue-") as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "data"
        data.mkdir()
        settings = bench_settings() | {
            "CIVIA_LOCAL_MODEL_ENABLED": "true",  # the product's default: the bundled model
            "CIVIA_MAX_TOKENS": str(args.max_tokens),
            "CIVIA_DATA_DIR": str(data),
            "CIVIA_DATABASE_URL": f"sqlite:///{data / 'civia.db'}",
        }
        env = python_env(settings)
        logins = setup(env, args.users)
        web = serve(env, "web", tmp, None)
        with running(web):
            results = asyncio.run(run(f"http://127.0.0.1:{web.port}", logins))  # type: ignore[attr-defined]
    machine.finish()
    write_results("queue", report(machine, args, results))


if __name__ == "__main__":
    main()
