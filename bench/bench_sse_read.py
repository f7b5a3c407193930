"""CPU of reading one streamed answer (64 tokens, 65 SSE events) from
`bench/synthetic_upstream.py`, on uvloop: httpx over AnyIO (httpx's default), the pooled client
of `civia.providers.http_pool` (httpx over the event loop's own transports), and a floor with
asyncio streams and no HTTP library. CPU time of this process, per call, median of the rounds.

Usage: python bench/bench_sse_read.py [--rounds 5 --calls 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import free_port, percentile  # noqa: E402
from civia.providers import http_pool  # noqa: E402

BODY = {
    "model": "synthetique",
    "messages": [{"role": "user", "content": "Bonjour"}],
    "max_tokens": 64,
    "stream": True,
    "stream_options": {"include_usage": True},
}


async def by_lines(client: Any, url: str) -> int:
    events = 0
    async with client.stream("POST", url, json=BODY) as resp:
        async for line in resp.aiter_lines():
            if line.startswith("data:") and line[5:].strip() != "[DONE]":
                json.loads(line[5:])
                events += 1
    return events


async def by_bytes(client: Any, url: str) -> int:
    events, rest = 0, b""
    async with client.stream("POST", url, json=BODY) as resp:
        async for data in resp.aiter_bytes():
            *lines, rest = (rest + data).split(b"\n")
            for line in lines:
                if line.startswith(b"data:") and line[5:].strip() != b"[DONE]":
                    json.loads(line[5:])
                    events += 1
    return events


async def bare(_client: Any, url: str) -> int:
    """No HTTP library: a raw request, the answer split as it comes (a new connection each)."""
    host, port = url.split("/")[2].split(":")
    body = json.dumps(BODY).encode()
    head = (
        f"POST /v1/chat/completions HTTP/1.1\r\nhost: {host}:{port}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(head.encode() + body)
    events, rest, done = 0, b"", False
    while not done:
        data = await reader.read(65536)
        if not data:
            break
        *lines, rest = (rest + data).split(b"\n")
        for line in lines:
            if line.startswith(b"data:"):
                if line[5:].strip() == b"[DONE]":
                    done = True
                else:
                    json.loads(line[5:])
                    events += 1
    writer.close()
    return events


Way = Callable[[Any, str], Awaitable[int]]


async def run(url: str, rounds: int, calls: int) -> dict[str, list[float]]:
    variants: dict[str, tuple[Any, Way]] = {
        "httpx over AnyIO, aiter_lines": (httpx.AsyncClient(), by_lines),
        "httpx over AnyIO, bytes split": (httpx.AsyncClient(), by_bytes),
        "pooled client (event loop), aiter_lines": (http_pool.client(), by_lines),
        "pooled client (event loop), bytes split": (http_pool.client(), by_bytes),
        "floor: asyncio streams, no HTTP library": (None, bare),
    }
    for client, way in variants.values():  # warm-up: connections, imports
        await way(client, url)
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, (client, way) in variants.items():
            start = time.process_time()
            for _ in range(calls):
                assert await way(client, url) == 65
            cpu[name].append((time.process_time() - start) / calls)
    return cpu


def main() -> None:
    import uvloop

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=10)
    args = parser.parse_args()
    port = free_port()
    upstream = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "synthetic_upstream.py"), "--port", str(port),
         "--ttft-ms", "5", "--rate", "400"],
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/v1"
        for _ in range(100):
            try:
                httpx.get(f"{base}/models")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        load = os.getloadavg()[0]
        cpu = uvloop.run(run(f"{base}/chat/completions", args.rounds, args.calls))
    finally:
        upstream.terminate()
    print(f"load average (1 min) at start {load:.2f}, at end {os.getloadavg()[0]:.2f}")
    print("| reading one 64-token answer (65 events) | CPU per call, median | rounds |")
    print("|---|---:|---|")
    for name, values in cpu.items():
        rounds = " ".join(f"{v * 1000:.1f}" for v in values)
        print(f"| {name} | {percentile(values, 50) * 1000:.1f} ms | {rounds} |")


if __name__ == "__main__":
    main()
