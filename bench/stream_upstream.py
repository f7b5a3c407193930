"""A small OpenAI-compatible model server that streams at a controlled rate (for the fault
bench: it can be killed mid-stream like a real one, and answers as fast as told to).

`GET /v1/models`, `POST /v1/chat/completions` (streamed as SSE, or not), one French word per
chunk, `--delay` seconds between chunks, `min(max_tokens, --tokens)` chunks.
Usage: python bench/stream_upstream.py --port 8090 [--delay 0.05] [--tokens 200]
"""

from __future__ import annotations

import argparse
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import cycle, islice

MODEL = "faults-model"
SENTENCE = (
    "Le conseil municipal a examiné le budget de la cantine scolaire, puis il a voté "
    "la rénovation de la salle des fêtes et l'éclairage public du centre-bourg."
)
WORDS = SENTENCE.split(" ")


def words(count: int) -> list[str]:
    return [f"{w} " for w in islice(cycle(WORDS), count)]


def handler(delay: float, tokens: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # the body ends when the connection closes

        def do_GET(self) -> None:
            if self.path.rstrip("/") != "/v1/models":
                self.send_error(404)
                return
            self._json({"object": "list", "data": [{"id": MODEL, "object": "model"}]})

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            count = min(int(body.get("max_tokens") or tokens), tokens)
            pieces = words(count)
            if not body.get("stream"):
                time.sleep(delay * count)
                message = {"role": "assistant", "content": "".join(pieces)}
                self._json({"id": "c1", "object": "chat.completion", "model": MODEL,
                            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                            "usage": {"prompt_tokens": 10, "completion_tokens": count,
                                      "total_tokens": 10 + count}})  # fmt: skip
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for piece in pieces:
                time.sleep(delay)
                self._event({"choices": [{"index": 0, "delta": {"content": piece}}]})
            self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                         "usage": {"prompt_tokens": 10, "completion_tokens": count,
                                   "total_tokens": 10 + count}})  # fmt: skip
            self.wfile.write(b"data: [DONE]\n\n")

        def _event(self, chunk: dict[str, object]) -> None:
            data = {"id": "c1", "object": "chat.completion.chunk", "model": MODEL, **chunk}
            self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
            self.wfile.flush()

        def _json(self, data: dict[str, object]) -> None:
            raw = json.dumps(data).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds between chunks")
    parser.add_argument("--tokens", type=int, default=200, help="most chunks of an answer")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler(args.delay, args.tokens))
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
