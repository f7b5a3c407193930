"""An admitted call holds part of its quotas (here: a reserve of tokens on the user's daily
counter) until its usage is recorded. No path leaves that hold held: a stream closed before its
first step, an admission dropped unused (a response never sent), a call cancelled while it is
admitted in a thread, a client gone before the response starts on an ASGI 2.4 server (where
Starlette skips the response's background task). The counter then holds exactly the tokens of
the calls recorded."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from civia.accounts import api_tokens
from civia.accounts.models import Tenant, User
from civia.chat.gateway import CallResult, Gateway, call_context
from civia.chat.models import Message
from civia.db.engine import session_scope
from civia.providers.base import ChatMessage, ChatRequest
from civia.providers.models import Provider
from civia.usage import quotas
from civia.usage.models import UsageEvent
from tests.chat.helpers import Words, send
from tests.conftest import Personas, login_as


@pytest.fixture
def metered(client: TestClient, personas: Personas) -> Iterator[Gateway]:
    """The upstream as every provider, and a daily token quota on the agent: every admitted
    call of the agent holds a reserve of tokens on the counter `u<id>`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Words)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    with session_scope(sessions) as db:
        for p in db.scalars(select(Provider)):
            p.kind, p.models = "openai_compat", ["m"]
            p.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        tenant, agent = db.get(Tenant, personas.tenant.id), db.get(User, personas["agent"].id)
        assert tenant is not None and agent is not None
        quotas.set_quota(db, tenant=tenant, user=agent, tokens_per_day=100_000)
    yield client.app.state.gateway  # type: ignore[attr-defined]
    server.shutdown()


def _held_beyond_usage(client: TestClient, gateway: Gateway, user_id: int) -> int:
    """The agent's daily counter minus the tokens of the calls recorded: what is still held."""
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        used = db.scalar(
            select(
                func.coalesce(func.sum(UsageEvent.prompt_tokens + UsageEvent.completion_tokens), 0)
            ).where(UsageEvent.user_id == user_id)
        )
    return gateway.quotas.used_today(f"u{user_id}") - int(used or 0)


def _admitted(client: TestClient, gateway: Gateway, user_id: int) -> tuple[Any, ...]:
    request = ChatRequest(messages=[ChatMessage("user", "Bonjour")], max_tokens=8)
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        user = db.get(User, user_id)
        assert user is not None
        ctx = call_context(user, source="api")
        target = gateway.resolve(db, user.tenant_id)
        admission = gateway.admit_call(db, user, ctx, target, request)
    return ctx, target, request, admission


def test_a_stream_closed_before_its_first_step_gives_its_hold_back(
    client: TestClient, personas: Personas, metered: Gateway
) -> None:
    agent_id = personas["agent"].id
    ctx, target, request, admission = _admitted(client, metered, agent_id)
    assert _held_beyond_usage(client, metered, agent_id) > 0  # the reserve, in flight
    chunks = metered.stream(ctx, target, request, CallResult(), admission)
    asyncio.run(chunks.aclose())  # e.g. a caller cancelled between creating and iterating it
    assert _held_beyond_usage(client, metered, agent_id) == 0
    assert admission.used  # and it cannot be streamed any more


def test_an_admission_dropped_unused_gives_its_hold_back(
    client: TestClient, personas: Personas, metered: Gateway
) -> None:
    """A response returned by its route but never sent (an error on the way out: the request's
    session failing to commit, the task cancelled) drops its admission unused."""
    agent_id = personas["agent"].id
    admission = _admitted(client, metered, agent_id)[3]
    assert _held_beyond_usage(client, metered, agent_id) > 0
    del admission
    gc.collect()
    assert _held_beyond_usage(client, metered, agent_id) == 0


def test_a_call_cancelled_while_admitted_in_a_thread_gives_its_hold_back(
    client: TestClient, personas: Personas, metered: Gateway
) -> None:
    """A call without a route's admission (jobs, meetings, form assistants) is admitted by the
    gateway in a thread; cancelled meanwhile (a client gone), the thread still takes the
    reserve, and gives it back."""
    started, proceed = threading.Event(), threading.Event()

    def slow_guard(db: Any, user: User, assistant_id: str, source: str) -> None:
        started.set()  # a plugin's guard, slow to answer
        proceed.wait(5)

    metered.guards = (*metered.guards, slow_guard)
    request = ChatRequest(messages=[ChatMessage("user", "Bonjour")], max_tokens=8)
    agent_id = personas["agent"].id
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        agent = db.get(User, agent_id)
        assert agent is not None
        ctx = call_context(agent, source="api")
        target = metered.resolve(db, agent.tenant_id)

    async def call() -> None:
        async for _ in metered.stream(ctx, target, request, CallResult()):
            pass

    async def cancelled_while_admitted() -> None:
        task = asyncio.create_task(call())
        assert await asyncio.to_thread(started.wait, 5)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        proceed.set()  # the admission goes on in its thread, after its caller has gone

    asyncio.run(cancelled_while_admitted())  # returns once the loop's threads have finished
    assert _held_beyond_usage(client, metered, agent_id) == 0


def _asgi_24(client: TestClient, path: str, headers: dict[str, str], body: bytes = b"") -> None:
    """One request through the app as an ASGI 2.4 server runs it, for a client that has gone
    before the response starts: `send` raises `OSError` (the spec's « server-specific subclass
    of IOError »)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "POST" if body else "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        + [(b"host", b"testserver"), (b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)  # never: the response is not listening on 2.4
        return {"type": "http.disconnect"}

    async def gone(message: dict[str, Any]) -> None:
        raise OSError("client gone")

    async def run() -> None:
        with contextlib.suppress(Exception):  # the server sees the disconnect, as Starlette says
            await client.app(scope, receive, gone)

    portal = client.portal  # type: ignore[attr-defined]
    assert portal is not None
    portal.call(run)


def test_an_api_client_gone_before_the_stream_starts_leaves_no_hold(
    client: TestClient, personas: Personas, metered: Gateway
) -> None:
    agent_id = personas["agent"].id
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        token, _ = api_tokens.create(db, user=db.get(User, agent_id), name="test")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = {"messages": [{"role": "user", "content": "Bonjour"}], "stream": True, "max_tokens": 8}
    _asgi_24(client, "/v1/chat/completions", headers, json.dumps(body).encode())
    assert _held_beyond_usage(client, metered, agent_id) == 0
    # and a call that streams keeps the counter at its recorded tokens
    resp = client.post("/v1/chat/completions", json=body, headers=headers)
    assert resp.status_code == 200 and "madame" in resp.text
    assert _held_beyond_usage(client, metered, agent_id) == 0


def test_a_web_client_gone_before_the_answer_starts_leaves_no_hold(
    client: TestClient, personas: Personas, metered: Gateway
) -> None:
    agent_id = personas["agent"].id
    sent = send(client, login_as(client, "agent"), "Dis bonjour").json()
    cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    _asgi_24(client, sent["stream_url"], {"Cookie": cookies})
    assert _held_beyond_usage(client, metered, agent_id) == 0
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        answer = db.get(Message, sent["answer_id"])
        assert answer is not None and answer.status == "streaming"  # claimed, never streamed


def test_a_failed_non_streamed_call_leaves_no_hold(
    client: TestClient, personas: Personas, metered: Gateway
) -> None:
    agent_id = personas["agent"].id
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        token, _ = api_tokens.create(db, user=db.get(User, agent_id), name="test")
        for p in db.scalars(select(Provider)):
            p.base_url = "http://127.0.0.1:9/v1"  # nothing listens there
    body = {"messages": [{"role": "user", "content": "Bonjour"}], "max_tokens": 8}
    resp = client.post(
        "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert resp.status_code == 502, resp.text
    assert _held_beyond_usage(client, metered, agent_id) == 0
