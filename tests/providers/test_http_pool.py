"""One pooled HTTP client per event loop for model calls."""

from __future__ import annotations

import asyncio

import httpx

from civia.providers import http_pool


async def _twice() -> tuple[httpx.AsyncClient, httpx.AsyncClient]:
    return http_pool.client(), http_pool.client()


def test_one_client_per_event_loop() -> None:
    first, again = asyncio.run(_twice())
    assert first is again  # calls of one loop share connections
    other, _ = asyncio.run(_twice())
    assert other is not first  # a client never crosses to another loop


def test_a_closed_client_is_replaced() -> None:
    async def run() -> tuple[httpx.AsyncClient, httpx.AsyncClient]:
        first = http_pool.client()
        await first.aclose()
        return first, http_pool.client()

    first, replaced = asyncio.run(run())
    assert replaced is not first and not replaced.is_closed


def test_a_cookie_set_by_one_server_never_rides_on_another_call() -> None:
    """Every collectivité's calls share the pool: its jar must keep no cookie a model server
    sets (it would be sent on another collectivité's call to the same host)."""

    async def run() -> int:
        pooled = http_pool.client()
        response = httpx.Response(
            200,
            headers={"set-cookie": "session=abc; Path=/"},
            request=httpx.Request("GET", "http://127.0.0.1:9/v1/models"),
        )
        pooled.cookies.extract_cookies(response)
        return len(pooled.cookies.jar)

    assert asyncio.run(run()) == 0
