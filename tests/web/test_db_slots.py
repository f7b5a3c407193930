"""Requests hold a database session through a bounded number of slots (fewer than the pool's
connections, so worker threads never all wait for a connection): when every slot stays taken,
a request waits the pool's own timeout, then gets a French 503, never a hang."""

from __future__ import annotations

import anyio
from fastapi.testclient import TestClient

from civia.web.deps import BUSY_FR
from tests.conftest import login, page_text


def test_every_slot_taken_gives_a_french_503_after_the_pool_timeout(client: TestClient) -> None:
    login(client, "agent")
    assert client.get("/").status_code == 200
    # As if every slot were held by long uploads: none free, and a short timeout for the test.
    client.app.state.db_slots = (anyio.Semaphore(1), 0.2)  # type: ignore[attr-defined]
    semaphore, _ = client.app.state.db_slots  # type: ignore[attr-defined]

    async def take() -> None:
        await semaphore.acquire()

    client.portal.call(take)  # type: ignore[union-attr]
    resp = client.get("/", headers={"accept": "text/html"})
    assert resp.status_code == 503 and resp.headers["retry-after"] == "5"
    assert BUSY_FR in page_text(resp)
    semaphore.release()
    assert client.get("/").status_code == 200
