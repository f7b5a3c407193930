"""An answer's stream always ends with its `done` event and the answer saved, whatever breaks
under it (found by bench/bench_faults.py: Redis restarting cut streams and left their answers
"streaming" with nothing saved)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.chat import recovery, stops
from civia.chat.models import Message
from civia.providers.models import Provider
from tests.chat.helpers import Words, done, send
from tests.conftest import Personas, login_as


@pytest.fixture
def upstream(client: TestClient) -> Iterator[None]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Words)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        for p in db.scalars(select(Provider)):
            p.kind, p.models = "openai_compat", ["m"]
            p.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        db.commit()
    yield
    server.shutdown()


def test_an_unexpected_error_mid_stream_ends_it_in_french_with_the_text_kept(
    client: TestClient, personas: Personas, upstream: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: stops.StopWatch) -> bool:
        raise RuntimeError("boom")

    monkeypatch.setattr(stops.StopWatch, "requested", broken)
    sent = send(client, login_as(client, "agent"), "Dis bonjour").json()
    final = done(client, sent["stream_url"])
    assert final["status"] == "error"
    assert "erreur du serveur" in final["error"] and "réf." in final["error"]
    assert "boom" not in final["error"]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        answer = db.get(Message, sent["answer_id"])
        assert answer is not None and answer.status == "error"
        assert answer.content == "Bonjour "  # the word received before the failure is kept


class _Slow(Words):
    """Silent for a while before its first word (a long prompt's prefill), then slow."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.flush()
        for word in ("Bonjour ", "madame."):
            time.sleep(1.0)
            chunk = {"choices": [{"index": 0, "delta": {"content": word}}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")


def test_the_answer_says_it_is_alive_even_before_its_first_word(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process may die any moment (SIGKILL): what was received is already on the row, and
    the row's time is refreshed while the model is silent too (a first token can take minutes
    on a CPU), so that no other process marks a live answer interrupted."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        for p in db.scalars(select(Provider)):
            p.kind, p.models = "openai_compat", ["m"]
            p.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        db.commit()
    saves: list[str] = []
    real = recovery.save_partial

    def save(sessions: object, message_id: int, text: str) -> None:
        saves.append(text)
        real(sessions, message_id, text)  # type: ignore[arg-type]

    monkeypatch.setattr(recovery, "SAVE_EVERY_S", 0.1)
    monkeypatch.setattr(recovery, "save_partial", save)
    try:
        sent = send(client, login_as(client, "agent"), "Dis bonjour").json()
        assert done(client, sent["stream_url"])["status"] == "ok"
    finally:
        server.shutdown()
    assert "" in saves  # alive while nothing had come yet
    assert "Bonjour " in saves  # the text received, kept on the row
