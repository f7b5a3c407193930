"""A streamed answer read from its bytes (`SseEvents`) through the pooled client, on asyncio's
loop and on uvloop's (the one `civia serve` runs): reads cut anywhere, several events in one
read, errors mid-stream, a silent server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from civia.providers.base import (
    ChatChunk,
    ChatMessage,
    ChatRequest,
    ProviderBadResponse,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
)
from civia.providers.openai_compat import MAX_LINE_BYTES, OpenAICompatible, SseEvents
from civia.providers.registry import ProviderConfig
from civia.settings import Settings

WORDS = ("Bonjour ", "madame ", "la maire, ", "voilà ", "l'été.")


def _event(payload: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


def _stream_bytes(words: tuple[str, ...] = WORDS) -> bytes:
    body = b": a comment\n\n"
    for i, word in enumerate(words):
        finish = "stop" if i == len(words) - 1 else None
        body += _event(
            {"choices": [{"index": 0, "delta": {"content": word}, "finish_reason": finish}]}
        )
    body += _event({"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 5}})
    return body + b"data: [DONE]\n\n"


# --- the splitter alone ------------------------------------------------------------------------


def _texts(datas: list[bytes]) -> list[str]:
    out = []
    for data in datas:
        if data != b"[DONE]":
            for choice in json.loads(data)["choices"]:
                out.append(choice["delta"]["content"])
    return out


@pytest.mark.parametrize("size", [1, 2, 3, 7, 50, 10_000])
def test_events_whatever_the_reads(size: int) -> None:
    """Reads of any size (a line, a UTF-8 character cut in two, several events at once)."""
    whole = _stream_bytes()
    events = SseEvents()
    datas: list[bytes] = []
    for start in range(0, len(whole), size):
        datas += events.feed(whole[start : start + size])
    assert _texts(datas) == list(WORDS)
    assert datas[-1] == b"[DONE]" and len(datas) == len(WORDS) + 2


@pytest.mark.parametrize("size", [1, 4, 10_000])
def test_crlf_and_cr_line_ends(size: int) -> None:
    whole = _stream_bytes().replace(b"\n", b"\r\n")
    whole = whole.replace(b"[DONE]\r\n", b"[DONE]\r")  # a CR alone ends a line too
    events = SseEvents()
    datas: list[bytes] = []
    for start in range(0, len(whole), size):
        datas += events.feed(whole[start : start + size])
    assert _texts(datas) == list(WORDS) and datas[-1] == b"[DONE]"


def test_other_fields_and_a_last_line_without_its_break() -> None:
    events = SseEvents()
    assert events.feed(b"event: message\nid: 4\nretry: 10\n: ping\n\n") == []
    assert events.feed(b'data: {"a": 1}') == []  # not complete yet
    assert events.feed(b"\n") == [b'{"a": 1}']


def test_a_line_that_never_ends_is_refused() -> None:
    """A server sending one endless line must not grow the buffer (and its re-scans) forever."""
    events = SseEvents()
    events.feed(b"data: " + b"x" * (MAX_LINE_BYTES // 2))
    with pytest.raises(ProviderBadResponse):
        events.feed(b"x" * (MAX_LINE_BYTES // 2 + 10))


# --- over sockets, asyncio and uvloop ---------------------------------------------------------

Handler = Callable[[asyncio.StreamWriter], Awaitable[None]]


async def _serve(handler: Handler) -> tuple[asyncio.Server, str]:
    async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        await reader.readexactly(length)
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n"
        )
        try:
            await handler(writer)
        finally:
            writer.close()

    server = await asyncio.start_server(on_connection, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/v1"


def _in_pieces(whole: bytes, size: int) -> Handler:
    async def handler(writer: asyncio.StreamWriter) -> None:
        for start in range(0, len(whole), size):
            writer.write(whole[start : start + size])
            await writer.drain()
            await asyncio.sleep(0.002)  # separate reads on the client's side

    return handler


def _provider(base: str, **settings: Any) -> OpenAICompatible:
    config = ProviderConfig(id=1, name="test", kind="openai_compat", base_url=base, models=("m",))
    return OpenAICompatible(config, Settings(**settings))


async def _collect(handler: Handler, **settings: Any) -> list[ChatChunk]:
    server, base = await _serve(handler)
    try:
        request = ChatRequest([ChatMessage("user", "Bonjour")], model="m", max_tokens=8)
        return [chunk async for chunk in _provider(base, **settings).stream(request)]
    finally:
        server.close()


def _loops() -> Iterator[str]:
    yield "asyncio"
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return
    yield "uvloop"


def _run(loop: str, coro: Awaitable[Any]) -> Any:
    if loop == "uvloop":
        import uvloop

        return uvloop.run(coro)  # type: ignore[arg-type]
    return asyncio.run(coro)  # type: ignore[arg-type]


@pytest.mark.parametrize("loop", list(_loops()))
@pytest.mark.parametrize("size", [1, 9, 10_000])
def test_a_stream_read_in_any_pieces(loop: str, size: int) -> None:
    chunks = _run(loop, _collect(_in_pieces(_stream_bytes(), size)))
    assert [c.text for c in chunks if c.text] == list(WORDS)
    assert chunks[-1].finish_reason == "stop"
    assert chunks[-1].usage == {"prompt_tokens": 3, "completion_tokens": 5}


@pytest.mark.parametrize("loop", list(_loops()))
def test_an_error_event_mid_stream(loop: str) -> None:
    first = _event({"choices": [{"index": 0, "delta": {"content": "Bonjour "}}]})
    whole = first + _event({"error": {"message": "surcharge"}})
    with pytest.raises(ProviderError, match="surcharge"):
        _run(loop, _collect(_in_pieces(whole, 50)))


@pytest.mark.parametrize("loop", list(_loops()))
def test_a_connection_lost_mid_stream(loop: str) -> None:
    async def handler(writer: asyncio.StreamWriter) -> None:
        writer.write(_event({"choices": [{"index": 0, "delta": {"content": "Bonjour "}}]}))
        await writer.drain()
        writer.transport.abort()  # no [DONE], no finish_reason

    with pytest.raises(ProviderUnavailable):
        _run(loop, _collect(handler))


@pytest.mark.parametrize("loop", list(_loops()))
def test_a_silent_server_times_out(loop: str) -> None:
    async def handler(writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(5)

    with pytest.raises(ProviderTimeout):
        _run(loop, _collect(handler, provider_first_token_timeout_s=0.2))
