"""One pooled HTTP client per event loop for the calls to model servers.

A new `httpx.AsyncClient` per call builds a TLS context (certificates loaded again) and opens a
new connection (a TCP and TLS handshake before the first token): milliseconds of CPU and of
latency on every call. The pool keeps connections to each server open between calls; its idle
connections are dropped before the usual 5 s keep-alive of uvicorn-based servers (vLLM,
llama.cpp's Python server) would close them under it. A client belongs to the event loop that
made it (the web server has one; tests and CLI commands may run several, one after another).
"""

from __future__ import annotations

import asyncio
import weakref
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100, keepalive_expiry=4.0)
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
    weakref.WeakKeyDictionary()
)


def client() -> httpx.AsyncClient:
    """The running loop's client; each call passes its own timeout."""
    loop = asyncio.get_running_loop()
    found = _clients.get(loop)
    if found is None or found.is_closed:
        # Every collectivité's calls share the pool: a cookie one model server sets must never
        # ride along on another collectivité's call, so the jar keeps none.
        jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
        found = _clients[loop] = httpx.AsyncClient(limits=LIMITS, cookies=jar)
    return found
