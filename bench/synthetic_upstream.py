"""A synthetic OpenAI-compatible model server for load tests: it streams at a controlled rate.

No real model serves 200 streams on 2 cores; this one answers `/v1/models` and
`/v1/chat/completions` (streamed or not) with `max_tokens` French words, the first after
`--ttft-ms`, then one every `1 / --rate` seconds, each in its own SSE chunk as llama.cpp and
vLLM send them, and the usage in the last chunk when `stream_options.include_usage` is set.
A plain ASGI app (no framework) so that its own CPU per call stays small and steady: it is the
yardstick Civia's cost is compared with. Listens on 127.0.0.1 only.

Usage: python bench/synthetic_upstream.py --port 8999 [--ttft-ms 50] [--rate 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

MODEL = "synthetique"
SENTENCE = (
    "Madame, Monsieur, la mairie est ouverte du lundi au vendredi de huit heures trente à "
    "douze heures et de treize heures trente à dix-sept heures. Nous restons à votre "
    "disposition pour tout renseignement complémentaire."
)
WORDS = SENTENCE.split(" ")


class Upstream:
    def __init__(self, ttft_s: float, interval_s: float) -> None:
        self.ttft_s = ttft_s
        self.interval_s = interval_s
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        path, method = scope["path"], scope["method"]
        if method == "GET" and path == "/v1/models":
            data = {"object": "list", "data": [{"id": MODEL, "object": "model"}]}
            await _json(send, 200, data)
        elif method == "POST" and path == "/v1/chat/completions":
            body = await _body(receive)
            await self.complete(json.loads(body or b"{}"), send)
        else:
            await _json(send, 404, {"error": {"message": "not found"}})

    async def complete(self, request: dict[str, Any], send: Send) -> None:
        self.calls += 1
        count = int(request.get("max_tokens") or 64)
        prompt = sum(len(str(m.get("content", ""))) for m in request.get("messages", [])) // 4
        usage = {"prompt_tokens": prompt, "completion_tokens": count}
        usage["total_tokens"] = prompt + count
        created = int(time.time())
        base = {"id": f"synth-{self.calls}", "created": created, "model": MODEL}
        words = [WORDS[i % len(WORDS)] + " " for i in range(count)]
        if not request.get("stream"):
            await asyncio.sleep(self.ttft_s + self.interval_s * (count - 1))
            message = {"role": "assistant", "content": "".join(words)}
            choice = {"index": 0, "message": message, "finish_reason": "length"}
            await _json(send, 200, {**base, "object": "chat.completion", "choices": [choice]})
            return
        headers = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        chunk = {**base, "object": "chat.completion.chunk"}
        start = time.monotonic()
        await asyncio.sleep(self.ttft_s)
        for i, word in enumerate(words):
            last = i == count - 1
            choice = {"index": 0, "delta": {"content": word}, "finish_reason": None}
            if last:
                choice["finish_reason"] = "length"
            await _event(send, {**chunk, "choices": [choice]})
            if not last:  # a steady rate, whatever the event loop's delays
                due = start + self.ttft_s + (i + 1) * self.interval_s
                await asyncio.sleep(max(due - time.monotonic(), 0))
        if (request.get("stream_options") or {}).get("include_usage"):
            await _event(send, {**chunk, "choices": [], "usage": usage})
        await send({"type": "http.response.body", "body": b"data: [DONE]\n\n"})


async def _body(receive: Receive) -> bytes:
    parts = []
    while True:
        message = await receive()
        parts.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(parts)


async def _event(send: Send, payload: dict[str, Any]) -> None:
    data = b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n"
    await send({"type": "http.response.body", "body": data, "more_body": True})


async def _json(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ttft-ms", type=float, default=50.0)
    parser.add_argument("--rate", type=float, default=20.0, help="tokens per second per stream")
    args = parser.parse_args()
    app = Upstream(args.ttft_ms / 1000, 1 / args.rate)
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        backlog=2048,
        timeout_keep_alive=30,
    )


if __name__ == "__main__":
    main()
