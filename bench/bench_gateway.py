"""Benchmark of Civia's gateway overhead on the OpenAI-compatible API.

One real llama.cpp server (`python -m llama_cpp.server`, the bundled GGUF, n_threads=1,
n_threads_batch=2, n_ctx=4096) is called in the same run, interleaved, either directly or
through a temporary Civia (`civia demo load`, an openai_compat provider pointing at that
server as default, an API token, `civia serve` with CIVIA_LOCAL_MODEL_ENABLED=false):
same prompt, same max_tokens, temperature 0 (greedy: both paths generate the same tokens).

Measured per path: time to first content token and total time, streamed (p50 over N runs),
and the non-streamed total, in two series on the same servers: with the prompt already in
the server's prefix cache (only generation and the gateway are timed), and with a new prompt
every call (a one-token request with another prompt is sent first, so both paths pay the
whole prompt evaluation). Writes bench/results/gateway.md.
Usage: python bench/bench_gateway.py [--runs 5] [--max-tokens 64] [--prompt-cache both]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    VENV_BIN,
    Machine,
    Server,
    free_port,
    p50,
    peak_rss_mb,
    process_cpu_s,
    running,
    start_server,
    table,
    write_results,
)
from civia.providers.model_files import ensure_gguf  # noqa: E402

ALIAS = "bench-llama-server"
SEED = 42
SYSTEM = (
    "Tu es l'assistant des agents de la Commune de Démoville. Tu rédiges en français, "
    "dans un style administratif courtois, clair et précis."
)
USER = (
    "Rédige un courrier de réponse à un usager, M. Bernard Martin, qui demande les horaires "
    "d'ouverture de la mairie. La mairie est ouverte du lundi au vendredi de 8 h 30 à 12 h et "
    "de 13 h 30 à 17 h, et le samedi de 9 h à 12 h."
)
FLUSH = [{"role": "user", "content": "Dis simplement bonjour."}]
TIMEOUT = httpx.Timeout(300.0, connect=10.0)


@dataclass
class Endpoint:
    label: str
    base_url: str  # .../v1
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    ttft_s: float = 0.0
    total_s: float = 0.0
    chunks: int = 0
    text: str = ""
    finish: str = ""
    usage: dict[str, Any] = field(default_factory=dict)


# --- setting up the two servers --------------------------------------------------------------


def start_llama_server(gguf: Path, log_dir: Path) -> tuple[Server, Endpoint]:
    port = free_port()
    cmd = [
        str(VENV_BIN / "python"),
        "-m",
        "llama_cpp.server",
        "--model", str(gguf),
        "--model_alias", ALIAS,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--n_threads", "1",
        "--n_threads_batch", "2",
        "--n_ctx", "4096",
        "--seed", str(SEED),
        "--verbose", "False",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    server = start_server("llama-server", cmd, ready_url=f"{base}/models", log_dir=log_dir)
    return server, Endpoint("llama.cpp server, direct", base)


def civia_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIA_")}
    env.update(
        CIVIA_MODE="demo",
        CIVIA_DATA_DIR=str(data_dir),
        CIVIA_DATABASE_URL=f"sqlite:///{data_dir / 'civia.db'}",
        CIVIA_LOCAL_MODEL_ENABLED="false",
    )
    return env


def civia_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "civia"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"civia {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def setup_civia(env: dict[str, str], llama: Endpoint) -> str:
    """Demo data, the llama server as default provider, and an API token for `agent`."""
    civia_cli(env, "demo", "load")
    civia_cli(
        env,
        "providers", "add",
        "--name", "llama.cpp (bench)",
        "--kind", "openai_compat",
        "--base-url", llama.base_url,
        "--model", ALIAS,
        "--hosting-class", "local",
        "--default",
    )  # fmt: skip
    accept_charter(env, "agent")
    return civia_cli(env, "tokens", "create", "--user", "agent").strip().splitlines()[-1]


ACCEPT_CHARTER = """
import sys
from sqlalchemy import select
from civia.accounts.models import User
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.settings import get_settings
try:
    from civia.governance import charter
except ImportError:
    sys.exit(0)
with session_scope(make_sessionmaker(make_engine(get_settings().db_url))) as db:
    user = db.scalar(select(User).where(User.login == sys.argv[1]))
    charter.accept(db, user, version=charter.current(db, user.tenant_id).version)
"""


def accept_charter(env: dict[str, str], login: str) -> None:
    """The API answers 403 until the user has accepted the AI charter, which is done in the
    web UI (/charte) and has no CLI command: record the acceptance as that page does."""
    subprocess.run(
        [str(VENV_BIN / "python"), "-c", ACCEPT_CHARTER, login],
        env=env,
        check=True,
        timeout=120,
    )


def start_civia(env: dict[str, str], token: str, log_dir: Path) -> tuple[Server, Endpoint]:
    port = free_port()
    base = f"http://127.0.0.1:{port}/v1"
    headers = {"Authorization": f"Bearer {token}"}
    cmd = [str(VENV_BIN / "civia"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = start_server(
        "civia", cmd, ready_url=f"{base}/models", log_dir=log_dir, env=env, headers=headers
    )
    return server, Endpoint("through Civia /v1", base, headers)


# --- calls -----------------------------------------------------------------------------------


def payload(max_tokens: int, stream: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": ALIAS,
        "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}],
        "max_tokens": max_tokens,
        "temperature": 0,
        "seed": SEED,
        "stream": stream,
    }
    if stream:
        body["stream_options"] = {"include_usage": True}
    return body


def flush_prompt_cache(client: httpx.Client, llama: Endpoint) -> None:
    body = {"model": ALIAS, "messages": FLUSH, "max_tokens": 1, "temperature": 0}
    client.post(f"{llama.base_url}/chat/completions", json=body).raise_for_status()


def call_stream(client: httpx.Client, ep: Endpoint, max_tokens: int) -> Call:
    call = Call()
    pieces: list[str] = []
    start = time.perf_counter()
    url = f"{ep.base_url}/chat/completions"
    body = payload(max_tokens, stream=True)
    with client.stream("POST", url, json=body, headers=ep.headers) as resp:
        resp.raise_for_status()
        for line in resp.iter_lines():
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                break
            obj = json.loads(data)
            if "error" in obj:
                raise RuntimeError(f"{ep.label}: error event {obj['error']}")
            call.usage = obj.get("usage") or call.usage
            for choice in obj.get("choices") or []:
                text = (choice.get("delta") or {}).get("content") or ""
                if text:
                    if not pieces:
                        call.ttft_s = time.perf_counter() - start
                    pieces.append(text)
                call.finish = choice.get("finish_reason") or call.finish
    call.total_s = time.perf_counter() - start
    call.chunks, call.text = len(pieces), "".join(pieces)
    return call


def call_once(client: httpx.Client, ep: Endpoint, max_tokens: int) -> Call:
    start = time.perf_counter()
    resp = client.post(
        f"{ep.base_url}/chat/completions", json=payload(max_tokens, False), headers=ep.headers
    )
    total = time.perf_counter() - start
    resp.raise_for_status()
    obj = resp.json()
    choice = obj["choices"][0]
    return Call(
        total_s=total,
        text=choice["message"]["content"],
        finish=choice.get("finish_reason") or "",
        usage=obj.get("usage") or {},
    )


Caller = Callable[[httpx.Client, Endpoint, int], Call]


def interleave(
    client: httpx.Client,
    llama: Endpoint,
    civia: Endpoint,
    runs: int,
    max_tokens: int,
    flush: bool,
) -> tuple[dict[str, list[Call]], dict[str, list[Call]]]:
    """N runs of each (path, mode), interleaved in a rotating order so that changes in the
    machine's load hit every combination alike; the prompt cache is flushed before each."""
    stream: dict[str, list[Call]] = {llama.label: [], civia.label: []}
    once: dict[str, list[Call]] = {llama.label: [], civia.label: []}
    combos: list[tuple[Endpoint, Caller, dict[str, list[Call]]]] = [
        (llama, call_stream, stream),
        (civia, call_stream, stream),
        (llama, call_once, once),
        (civia, call_once, once),
    ]
    for i in range(runs):
        shift = i % len(combos)
        for ep, caller, out in combos[shift:] + combos[:shift]:
            if flush:
                flush_prompt_cache(client, llama)
            out[ep.label].append(caller(client, ep, max_tokens))
        print(
            f"run {i + 1}/{runs}: streamed "
            + ", ".join(f"{k} {v[-1].total_s:.2f}s" for k, v in stream.items())
            + "; non-streamed "
            + ", ".join(f"{k} {v[-1].total_s:.2f}s" for k, v in once.items())
        )
    return stream, once


# --- what Civia recorded ---------------------------------------------------------------------


def usage_events(db_path: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(db_path) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            "SELECT provider_name, model, source, prompt_tokens, completion_tokens, latency_ms, "
            "ttft_ms, outcome FROM usage_events ORDER BY id"
        ).fetchall()
    return [dict(r) for r in rows]


# --- report ----------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def describe(calls: list[Call]) -> tuple[str, str]:
    tokens = sorted({str(c.usage.get("completion_tokens", "not sent")) for c in calls})
    finishes = sorted({c.finish or "?" for c in calls})
    return "/".join(tokens), ",".join(finishes)


def stream_rows(results: dict[str, list[Call]]) -> list[list[str]]:
    rows = []
    for label, calls in results.items():
        tokens, finish = describe(calls)
        chunks = "/".join(sorted({str(c.chunks) for c in calls}))
        rows.append(
            [
                label,
                str(len(calls)),
                chunks,
                tokens,
                finish,
                f"{ms(p50([c.ttft_s for c in calls]))} ({ms(min(c.ttft_s for c in calls))})",
                f"{ms(p50([c.total_s for c in calls]))} ({ms(min(c.total_s for c in calls))})",
            ]
        )
    return rows


def once_rows(results: dict[str, list[Call]]) -> list[list[str]]:
    rows = []
    for label, calls in results.items():
        tokens, finish = describe(calls)
        total = f"{ms(p50([c.total_s for c in calls]))} ({ms(min(c.total_s for c in calls))})"
        rows.append([label, str(len(calls)), tokens, finish, total])
    return rows


def ratio_line(what: str, direct: list[float], civia: list[float]) -> str:
    d, c = p50(direct), p50(civia)
    best = min(civia) / min(direct)
    return f"| {what} | {ms(d)} | {ms(c)} | {(c - d) * 1000:+.0f} | {c / d:.3f} | {best:.3f} |"


@dataclass
class Variant:
    """One series: N interleaved runs of each (path, mode), with or without a warm prompt."""

    flush: bool
    stream: dict[str, list[Call]]
    once: dict[str, list[Call]]
    warmups: dict[str, float]
    civia_cpu_s: float  # CPU time `civia serve` used for the measured calls, idle time removed
    civia_idle_rate: float  # its CPU seconds per second when idle

    @property
    def civia_calls(self) -> int:
        return len(list(self.stream.values())[1]) + len(list(self.once.values())[1])

    @property
    def title(self) -> str:
        if self.flush:
            return "New prompt every call (prefix cache emptied before each call)"
        return "Prompt already cached by the server (same prompt again)"

    @property
    def cache_note(self) -> str:
        if self.flush:
            return (
                "a one-token request with another prompt is sent to the server before each "
                "call, so every call evaluates the whole prompt, as for a new conversation"
            )
        return (
            "the server's prefix cache is kept, so only generation is timed and the gateway's "
            "own cost stands out"
        )


def header(machine: Machine, max_tokens: int, runs: int) -> list[str]:
    return [
        "## Gateway overhead: Civia's /v1/chat/completions vs the llama.cpp server directly "
        "(`bench/bench_gateway.py`)",
        "",
        machine.markdown(),
        "- Upstream: one `python -m llama_cpp.server` (bundled Qwen2.5-Coder-1.5B Q4_K_M, "
        "n_threads=1, n_threads_batch=2, n_ctx=4096) on 127.0.0.1; Civia: `civia serve` "
        "(uvicorn, SQLite) with that server as default openai_compat provider.",
        "- Same request on both paths (system + user message asking for a French letter, "
        f"max_tokens={max_tokens}, temperature 0, seed {SEED}), {runs} runs per path and mode, "
        "the four (path, mode) combinations interleaved in a rotating order so that changes "
        "in load hit them alike. TTFT = first non-empty content delta, measured by the client "
        "(httpx, keep-alive). p50 first, best run in brackets (the least disturbed by other "
        "processes).",
    ]


def variant_section(v: Variant) -> list[str]:
    direct_s, civia_s = v.stream.values()
    direct_o, civia_o = v.once.values()
    series = (*v.stream.values(), *v.once.values())
    texts = {c.text for calls in series for c in calls}
    n_calls = sum(len(calls) for calls in series)
    same = "yes" if len(texts) == 1 else f"no ({len(texts)} variants)"
    return [
        "",
        f"### {v.title}",
        "",
        f"{v.cache_note.capitalize()}. Generated text identical on all {n_calls} calls: {same}. "
        f"First (warm-up) streamed call, not in the figures: direct {ms(v.warmups['direct'])} "
        f"ms, through Civia {ms(v.warmups['civia'])} ms.",
        "",
        table(
            [
                "streaming",
                "runs",
                "content chunks",
                "completion tokens (usage)",
                "finish_reason",
                "TTFT p50 (best) ms",
                "total p50 (best) ms",
            ],
            stream_rows(v.stream),
        ),
        "",
        table(
            [
                "non-streaming",
                "runs",
                "completion tokens (usage)",
                "finish_reason",
                "total p50 (best) ms",
            ],
            once_rows(v.once),
        ),
        "",
        "| measure | direct p50 (ms) | through Civia p50 (ms) | difference (ms) "
        "| ratio Civia/direct, p50 | ratio of the best runs |",
        "|---|---|---|---|---|---|",
        ratio_line("streaming, time to first token", *_pair(direct_s, civia_s, "ttft_s")),
        ratio_line("streaming, total", *_pair(direct_s, civia_s, "total_s")),
        ratio_line("non-streaming, total", *_pair(direct_o, civia_o, "total_s")),
        "",
        conclusion(direct_s, civia_s),
        cpu_line(v, civia_s[0].chunks),
    ]


def report(
    machine: Machine,
    variants: list[Variant],
    rss: dict[str, float],
    events: list[dict[str, Any]],
    max_tokens: int,
    runs: int,
) -> str:
    api = [e for e in events if e["source"] == "api"]
    finishes = {
        label: sorted({c.finish for v in variants for c in (*v.stream[label], *v.once[label])})
        for label in variants[0].stream
    }
    lines = header(machine, max_tokens, runs)
    for v in variants:
        lines += variant_section(v)
    lines += [
        "",
        "### Resources and what Civia recorded",
        "",
        f"Peak RSS: llama.cpp server {rss['llama']:.0f} MiB, `civia serve` {rss['civia']:.0f} "
        f"MiB. Civia recorded {len(api)} API usage events (completion tokens: "
        f"{sorted({e['completion_tokens'] for e in api})}, prompt tokens: "
        f"{sorted({e['prompt_tokens'] for e in api})}, outcomes: "
        f"{sorted({e['outcome'] for e in api})}). finish_reason returned: "
        + "; ".join(f"{label}: {', '.join(f)}" for label, f in finishes.items())
        + ".",
    ]
    return "\n".join(lines)


def cpu_line(v: Variant, tokens_per_call: int) -> str:
    per_call = v.civia_cpu_s * 1000 / v.civia_calls
    return (
        f"CPU time used by the `civia serve` process for these {v.civia_calls} calls: "
        f"{per_call:.0f} ms per call of {tokens_per_call} tokens (user + system, all threads, "
        f"its idle use of {v.civia_idle_rate * 1000:.1f} ms/s removed): the gateway's own "
        "cost, less inflated by the load of the machine than wall-clock times."
    )


def conclusion(direct: list[Call], civia: list[Call]) -> str:
    ttft = p50([c.ttft_s for c in civia]) - p50([c.ttft_s for c in direct])
    total = p50([c.total_s for c in civia]) - p50([c.total_s for c in direct])
    spread = max(c.total_s for c in direct) - min(c.total_s for c in direct)
    base = p50([c.total_s for c in direct])
    verdict = (
        f"within the run-to-run spread of the direct calls ({spread * 1000:.0f} ms)"
        if abs(total) <= spread
        else f"more than the run-to-run spread of the direct calls ({spread * 1000:.0f} ms)"
    )
    return (
        f"Going through Civia changes the time to first token by {ttft * 1000:+.0f} ms and the "
        f"streamed total by {total * 1000:+.0f} ms (p50) for a generation that takes "
        f"{base:.1f} s directly, {verdict}."
    )


def _pair(a: list[Call], b: list[Call], attr: str) -> tuple[list[float], list[float]]:
    return [getattr(c, attr) for c in a], [getattr(c, attr) for c in b]


# --- main ------------------------------------------------------------------------------------


def measure(
    client: httpx.Client,
    llama: Endpoint,
    civia: Endpoint,
    civia_pid: int,
    args: argparse.Namespace,
    flush: bool,
) -> Variant:
    warmups = {}
    for key, ep in (("direct", llama), ("civia", civia)):
        flush_prompt_cache(client, llama)
        warmups[key] = call_stream(client, ep, args.max_tokens).total_s
    idle = idle_cpu_rate(civia_pid)
    cpu0, wall0 = process_cpu_s(civia_pid), time.monotonic()
    stream, once = interleave(client, llama, civia, args.runs, args.max_tokens, flush)
    busy = process_cpu_s(civia_pid) - cpu0 - idle * (time.monotonic() - wall0)
    return Variant(flush, stream, once, warmups, max(busy, 0.0), idle)


def idle_cpu_rate(pid: int, seconds: float = 10.0) -> float:
    """CPU seconds per second the process uses while no request is in flight."""
    cpu0 = process_cpu_s(pid)
    time.sleep(seconds)
    return (process_cpu_s(pid) - cpu0) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument(
        "--prompt-cache",
        choices=["flush", "keep", "both"],
        default="both",
        help="empty the server's prefix cache before each call, keep it, or run both series",
    )
    args = parser.parse_args()
    flushes = {"flush": [True], "keep": [False], "both": [False, True]}[args.prompt_cache]

    machine = Machine()
    gguf = ensure_gguf()
    rss: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="civia-bench-gw-") as tmp:
        tmp_dir = Path(tmp)
        (tmp_dir / "data").mkdir()
        env = civia_env(tmp_dir / "data")
        llama_server, llama = start_llama_server(gguf, tmp_dir)
        with running(llama_server):
            token = setup_civia(env, llama)
            civia_server, civia = start_civia(env, token, tmp_dir)
            with running(civia_server), httpx.Client(timeout=TIMEOUT) as client:
                pid = civia_server.proc.pid
                variants = [measure(client, llama, civia, pid, args, f) for f in flushes]
                rss["civia"] = peak_rss_mb(civia_server.proc.pid)
                rss["llama"] = peak_rss_mb(llama_server.proc.pid)
        events = usage_events(tmp_dir / "data" / "civia.db")
    machine.finish()
    write_results("gateway", report(machine, variants, rss, events, args.max_tokens, args.runs))
    print("\n--- generated text (direct, streamed) ---\n" + variants[0].stream[llama.label][0].text)


if __name__ == "__main__":
    main()
