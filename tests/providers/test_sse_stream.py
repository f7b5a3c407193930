"""A streamed answer read from its bytes (`SseEvents`) over the pool's own network layer
(`civia.providers.asyncio_net`), on asyncio's loop and on uvloop's (the one `civia serve`
runs): reads cut anywhere, several events in one read, errors mid-stream, TLS."""

from __future__ import annotations

import asyncio
import datetime
import json
import ssl
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from civia.providers import http_pool
from civia.providers.asyncio_net import AsyncioBackend
from civia.providers.base import (
    ChatChunk,
    ChatMessage,
    ChatRequest,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
)
from civia.providers.openai_compat import OpenAICompatible, SseEvents
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


def test_the_pool_reads_on_the_event_loop() -> None:
    """httpx takes no network backend: it is set on the client's pool, by an attribute an
    httpx upgrade could rename (this test then fails rather than the pool falling back)."""

    async def backend() -> object:
        return http_pool.client()._transport._pool._network_backend  # type: ignore[attr-defined]

    assert isinstance(asyncio.run(backend()), AsyncioBackend)


def _certificate(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.mark.parametrize("loop", list(_loops()))
def test_tls(loop: str, tmp_path: Path) -> None:
    cert, key = _certificate(tmp_path)
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)
    client_side = ssl.create_default_context(cafile=str(cert))

    async def run() -> str:
        async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            body = "chiffré".encode()
            head = f"HTTP/1.1 200 OK\r\ncontent-length: {len(body)}\r\nconnection: close\r\n\r\n"
            writer.write(head.encode() + body)
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(on_connection, "127.0.0.1", 0, ssl=server_side)
        port = server.sockets[0].getsockname()[1]
        transport = httpx.AsyncHTTPTransport(verify=client_side)
        assert http_pool.on_event_loop(transport)
        try:
            async with httpx.AsyncClient(transport=transport) as client:
                resp = await client.get(f"https://localhost:{port}/")
                return resp.content.decode()
        finally:
            server.close()

    assert _run(loop, run()) == "chiffré"
