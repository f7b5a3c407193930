"""A stream cancelled by its client (Starlette cancels the response's task group when the
client disconnects: every later await of the cancelled task is cancelled again) is still
recorded, even when closing the provider's stream awaits: usage row and ledger row."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
from sqlalchemy import select

from civia.chat.gateway import CallContext, CallResult, Gateway
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.db.migrate import upgrade
from civia.providers.base import ChatChunk, ChatMessage, ChatRequest
from civia.settings import Settings
from civia.usage.models import LedgerEntry, UsageEvent
from tests.conftest import make_personas


class SlowToClose:
    """A model whose stream, like an HTTP response being closed, awaits while it is closed."""

    name = "lent"

    def __init__(self) -> None:
        self.closed = False

    def list_models(self) -> list[str]:
        return ["lent"]

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        try:
            yield ChatChunk(text="Bonjour ")
            await asyncio.sleep(60)  # the client leaves while the model is still writing
            yield ChatChunk(text="madame.")
        finally:
            await asyncio.sleep(0)  # closing the connection: one more await
            self.closed = True


def test_a_stream_cancelled_by_its_client_is_still_recorded(
    sqlite_url: str, password_hash: str, tmp_path: Path
) -> None:
    upgrade(sqlite_url)
    settings = Settings(data_dir=tmp_path, database_url=sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    with session_scope(sessions) as db:
        personas = make_personas(db, password_hash)
        tenant_id, agent = personas.tenant.id, personas["agent"]
        ctx = CallContext(tenant_id, agent.id, agent.service_id, "api", assistant_id="chat")
        gateway = Gateway(settings, sessions)
        model = SlowToClose()
        target = dataclasses.replace(gateway.resolve(db, tenant_id), chat=model)
    result = CallResult()
    seen: list[str] = []

    async def client() -> None:
        request = ChatRequest(messages=[ChatMessage("user", "Bonjour")], max_tokens=4)
        async with anyio.create_task_group() as group:  # as StreamingResponse does

            async def stream() -> None:
                async with contextlib.aclosing(gateway.stream(ctx, target, request, result)) as g:
                    async for chunk in g:
                        seen.append(chunk.text)
                        group.cancel_scope.cancel()  # the client disconnects…
                        await asyncio.sleep(1)  # …while its chunk is being sent

            group.start_soon(stream)

    asyncio.run(client())
    assert seen == ["Bonjour "] and model.closed
    with session_scope(sessions) as db:
        event = db.scalar(select(UsageEvent))
        assert event is not None and event.outcome == "stopped"
        assert db.scalar(select(LedgerEntry).where(LedgerEntry.usage_event_id == event.id))
    assert result.figures is not None
