"""Reading SSE streams in tests, and a real OpenAI-compatible server to stream from."""

import json
from http.server import BaseHTTPRequestHandler

from fastapi.testclient import TestClient


def events(text: str) -> list[tuple[str, dict[str, str]]]:
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            out.append((lines["event"], json.loads(lines["data"])))
    return out


def send(
    client: TestClient, headers: dict[str, str], content: str, conversation: int | None = None
):
    url = f"/conversations/{conversation}/messages" if conversation else "/conversations"
    return client.post(url, data={"content": content, "assistant": "chat"}, headers=headers)


def done(client: TestClient, stream_url: str) -> dict[str, str]:
    evs = events(client.get(stream_url).text)
    assert evs and evs[-1][0] == "done", evs
    return evs[-1][1]


class Words(BaseHTTPRequestHandler):
    """A real OpenAI-compatible server streaming three words."""

    protocol_version = "HTTP/1.0"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for word in ("Bonjour ", "madame ", "la maire."):
            chunk = {"choices": [{"index": 0, "delta": {"content": word}}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args: object) -> None:
        pass
