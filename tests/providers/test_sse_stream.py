"""A streamed answer read through the pooled client from a raw socket server, on asyncio's loop
and on uvloop's (the one `civia serve` runs): the server's writes cut anywhere (inside a line,
a UTF-8 character, a CRLF) or several events in one, an error event mid-stream, a connection
lost, a silent server."""

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
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
)
from civia.providers.openai_compat import OpenAICompatible
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
