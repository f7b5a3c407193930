"""The upload body limit: refused before reading when the declared length is too big, cut off
as soon as a body grows past it, read from the settings at each request."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from starlette.types import Message, Receive, Scope, Send

from civia.web.uploads.limit import DEFAULT, BodyLimit, Limit, UploadRefused

CHUNK = 10_000
B = "civia"
LIMIT = Limit("/depot$", lambda s: s.max_bytes, lambda s: f"Plus de {s.max_bytes} octets.")


def _scope(path: str = "/depot", headers: list[tuple[bytes, bytes]] | None = None) -> Scope:
    settings = SimpleNamespace(max_bytes=50_000, max_body_mb=0.2)
    app = SimpleNamespace(state=SimpleNamespace(settings=settings))
    headers = [(b"content-type", f"multipart/form-data; boundary={B}".encode()), *(headers or [])]
    return {"type": "http", "method": "POST", "path": path, "headers": headers, "app": app}


def _client(
    pieces: list[bytes], pulled: list[int], watch: Callable[[], None] = lambda: None
) -> Receive:
    """The client's side: `pieces` one by one; `pulled` counts what the server took."""

    async def receive() -> Message:
        watch()
        pulled.append(1)
        body = pieces[len(pulled) - 1] if len(pulled) <= len(pieces) else b""
        return {"type": "http.request", "body": body, "more_body": len(pulled) < len(pieces)}

    return receive


def _through_limit(
    scope: Scope, pieces: list[bytes], default: Limit | None = None
) -> tuple[int, int, UploadRefused | None]:
    """(pieces pulled from the client, bytes the app read, the refusal if any)."""
    pulled: list[int] = []
    read = 0

    async def app(_scope: Scope, receive: Receive, _send: Send) -> None:
        nonlocal read
        while True:
            message = await receive()
            read += len(message.get("body", b""))
            if not message.get("more_body"):
                return

    async def send(_message: Message) -> None:
        return None

    try:
        asyncio.run(
            BodyLimit(app, limits=[LIMIT], default=default)(scope, _client(pieces, pulled), send)
        )
    except UploadRefused as refused:
        return len(pulled), read, refused
    return len(pulled), read, None


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    scope = _scope(headers=[(b"content-length", b"10000000")])
    pulled, read, refused = _through_limit(scope, [b"x" * CHUNK] * 100)
    assert (pulled, read) == (0, 0)
    assert refused is not None and refused.status_code == 413
    assert refused.message == "Plus de 50000 octets."


def test_a_chunked_body_is_cut_off_past_the_limit() -> None:
    pulled, read, refused = _through_limit(_scope(), [b"x" * CHUNK] * 100)
    assert refused is not None and refused.status_code == 413
    assert pulled == 50_000 // CHUNK + 1 and read == 50_000  # stopped at the first piece over


def test_the_limit_is_read_from_the_settings_at_each_request() -> None:
    scope = _scope()
    scope["app"].state.settings.max_bytes = 10**6
    assert _through_limit(scope, [b"x" * CHUNK] * 100) == (100, 100 * CHUNK, None)


@pytest.mark.parametrize(("path", "pieces"), [("/depot", 3), ("/ailleurs", 100)])
def test_small_bodies_and_other_paths_pass(path: str, pieces: int) -> None:
    pulled, read, refused = _through_limit(_scope(path), [b"x" * CHUNK] * pieces)
    assert (pulled, read, refused) == (pieces, pieces * CHUNK, None)


def test_the_default_covers_every_other_path_and_the_route_limit_wins() -> None:
    pieces = [b"x" * CHUNK] * 100
    pulled, read, refused = _through_limit(_scope("/ailleurs"), pieces, DEFAULT)
    assert refused is not None and refused.status_code == 413
    assert read == 200_000 and pulled == 21
    assert "(0,2 Mo)" in refused.message
    scope = _scope()
    scope["app"].state.settings.max_bytes = 10**6  # the upload route's own limit, above 0.2 MB
    assert _through_limit(scope, pieces, DEFAULT) == (100, 100 * CHUNK, None)
