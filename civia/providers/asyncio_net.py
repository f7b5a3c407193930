"""The network layer of the pooled model client, on the event loop's own transports.

httpx (through httpcore) reads a streamed answer with AnyIO by default: on each read a cancel
scope with its deadline, a checkpoint (one more turn of the event loop), and the socket's
reading switched on then off again (two changes of the poller). A 64-token answer is 66 reads
of one SSE chunk each, so a call paid it 66 times. Here a connection is an `asyncio.Protocol`
that keeps reading into a buffer: a read returns what is buffered, or waits for the next data
with one timer for its timeout. Same `httpcore` errors as its own backends (httpx maps them to
its `ReadTimeout`, `ConnectError`…), TLS through `loop.start_tls`.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

# Reading stops while this much is buffered and unread (a slow consumer), and resumes below it.
HIGH_WATER = 1 << 20


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[None] | None = None
        self.drained: asyncio.Future[None] | None = None
        self.eof = False
        self.error: BaseException | None = None
        self.reading_paused = False
        self.writing_paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is no subclass

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > HIGH_WATER and self.transport is not None:
            self.transport.pause_reading()
            self.reading_paused = True
        _wake(self.waiter)

    def eof_received(self) -> bool:
        self.eof = True
        _wake(self.waiter)
        return False  # the transport closes itself

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        self.error = exc
        _wake(self.waiter)
        _wake(self.drained)

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        _wake(self.drained)

    def take(self, max_bytes: int) -> bytes:
        data = bytes(self.buffer[:max_bytes])
        del self.buffer[:max_bytes]
        if self.reading_paused and len(self.buffer) <= HIGH_WATER // 2 and self.transport:
            self.reading_paused = False
            self.transport.resume_reading()
        return data


def _wake(future: asyncio.Future[None] | None) -> None:
    if future is not None and not future.done():
        future.set_result(None)


def _expire(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_exception(TimeoutError())


async def _wait(future: asyncio.Future[None], timeout: float | None) -> None:
    """Wait for `future` with one timer (no task, no cancel scope); TimeoutError when it fires."""
    timer = None
    if timeout is not None:
        timer = asyncio.get_running_loop().call_later(timeout, _expire, future)
    try:
        await future
    finally:
        if timer is not None:
            timer.cancel()


class Stream(httpcore.AsyncNetworkStream):
    def __init__(self, transport: asyncio.Transport, connection: _Connection) -> None:
        self._transport = transport
        self._connection = connection

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        conn = self._connection
        if not conn.buffer and not conn.eof:
            conn.waiter = asyncio.get_running_loop().create_future()
            try:
                await _wait(conn.waiter, timeout)
            except TimeoutError:
                raise httpcore.ReadTimeout("no data within the read timeout") from None
            finally:
                conn.waiter = None
        if conn.buffer:
            return conn.take(max_bytes)
        if conn.error is not None:
            raise httpcore.ReadError(f"connection lost: {conn.error!r}")
        return b""  # the server closed the connection

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        conn = self._connection
        if self._transport.is_closing() or conn.error is not None:
            raise httpcore.WriteError("connection closed")
        self._transport.write(buffer)
        if conn.writing_paused:
            conn.drained = asyncio.get_running_loop().create_future()
            try:
                await _wait(conn.drained, timeout)
            except TimeoutError:
                raise httpcore.WriteTimeout("write not drained within the timeout") from None
            finally:
                conn.drained = None

    async def aclose(self) -> None:
        self._transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    self._transport, self._connection, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError:
            self._transport.close()
            raise httpcore.ConnectTimeout("TLS handshake timed out") from None
        except (OSError, ssl.SSLError) as exc:
            self._transport.close()
            raise httpcore.ConnectError(f"TLS handshake failed: {exc}") from None
        if transport is None:
            raise httpcore.ConnectError("TLS handshake failed: connection closed")
        self._connection.transport = transport
        return Stream(transport, self._connection)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # an idle pooled connection the server closed, or sent to
            conn = self._connection
            return bool(conn.buffer) or conn.eof or self._transport.is_closing()
        names = {
            "ssl_object": "ssl_object",
            "client_addr": "sockname",
            "server_addr": "peername",
            "socket": "socket",
        }
        return self._transport.get_extra_info(names[info]) if info in names else None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        local = (local_address, 0) if local_address else None
        try:
            async with asyncio.timeout(timeout):
                transport, conn = await loop.create_connection(
                    _Connection, host, port, local_addr=local
                )
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"no connection to {host}:{port} in time") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from None
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for option in socket_options or ():
                sock.setsockopt(*option)
        return Stream(transport, conn)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("model servers are reached over TCP")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
