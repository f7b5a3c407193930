"""The OpenAI-compatible provider against a real llama_cpp.server (not a mock)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.chat.models import Message
from civia.providers.base import (
    ChatMessage,
    ChatRequest,
    ProviderBadResponse,
    ProviderUnavailable,
)
from civia.providers.models import Provider
from civia.providers.openai_compat import OpenAICompatible
from civia.providers.registry import ProviderConfig
from civia.settings import Settings
from civia.usage.models import UsageEvent
from tests.chat.helpers import done, events, send
from tests.conftest import Personas, login_as
from tests.servers import garbage_server, llama_server

pytestmark = pytest.mark.llama_server


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with llama_server() as (base, _proc):
        yield base


def provider(base: str, **settings: float) -> OpenAICompatible:
    config = ProviderConfig(
        id=1, name="llama.cpp", kind="openai_compat", base_url=base, models=("qwen-local",)
    )
    return OpenAICompatible(config, Settings(**settings))  # type: ignore[arg-type]


def request(text: str = "Dis bonjour.", max_tokens: int = 8) -> ChatRequest:
    return ChatRequest(
        [ChatMessage("user", text)], model="qwen-local", max_tokens=max_tokens, temperature=0
    )


async def collect(p: OpenAICompatible, req: ChatRequest) -> tuple[str, list]:
    chunks = [c async for c in p.stream(req)]
    return "".join(c.text for c in chunks), chunks


async def test_streams_text_and_usage(server: str) -> None:
    text, chunks = await collect(provider(server), request())
    assert text.strip()
    assert len([c for c in chunks if c.text]) >= 2
    assert chunks[-1].finish_reason in ("stop", "length")
    assert chunks[-1].usage["prompt_tokens"] > 0 and chunks[-1].usage["completion_tokens"] > 0


async def test_lists_models(server: str) -> None:
    assert "qwen-local" in await provider(server).fetch_models()


async def test_closed_port_is_unavailable() -> None:
    with pytest.raises(ProviderUnavailable) as err:
        await collect(provider("http://127.0.0.1:9/v1"), request())
    assert "injoignable" in err.value.message_fr


async def test_garbage_is_a_bad_response() -> None:
    with garbage_server() as base, pytest.raises(ProviderBadResponse):
        await collect(provider(base), request())


async def test_server_stopped_mid_stream() -> None:
    with llama_server() as (base, proc):
        p = provider(base)
        received = []
        with pytest.raises(ProviderUnavailable) as err:
            async for chunk in p.stream(request("Écris un long poème sur la mer.", max_tokens=300)):
                received.append(chunk.text)
                if len(received) == 3:
                    proc.kill()
        assert len(received) >= 3
        assert "interrompue" in err.value.message_fr


@pytest.fixture
def server_app(client: TestClient, personas: Personas, server: str) -> TestClient:
    """Civia whose default provider is the real llama.cpp server, configured as an admin would."""
    headers = login_as(client, "admin")
    resp = client.post(
        "/admin/fournisseurs",
        data={"name": "Serveur llama.cpp", "kind": "openai_compat", "base_url": server,
              "models": "qwen-local", "hosting_class": "local", "enabled": "true", "is_default": "true"},
        headers=headers,
    )  # fmt: skip
    assert resp.status_code == 200
    return client


def test_chat_through_configured_server(server_app: TestClient, personas: Personas) -> None:
    headers = login_as(server_app, "agent")
    sent = send(server_app, headers, "Dis bonjour.").json()
    evs = events(server_app.get(sent["stream_url"]).text)
    assert evs[-1][1]["status"] == "ok"
    with server_app.app.state.sessions() as db:  # type: ignore[attr-defined]
        event = db.scalar(select(UsageEvent))
        assert (
            event is not None
            and event.provider_name == "Serveur llama.cpp"
            and event.model == "qwen-local"
        )
        assert event.prompt_tokens > 0 and event.completion_tokens > 0


def test_server_killed_mid_stream_keeps_conversation(
    client: TestClient, personas: Personas
) -> None:
    with llama_server() as (base, proc):
        with client.app.state.sessions() as db:  # type: ignore[attr-defined]
            for p in db.scalars(select(Provider)):
                p.kind, p.base_url, p.models = "openai_compat", base, ["qwen-local"]
            db.commit()
        client.app.state.settings.max_tokens = 400  # type: ignore[attr-defined]
        headers = login_as(client, "agent")
        sent = send(client, headers, "Écris un long poème de vingt strophes sur la mer.").json()
        chunks = []
        with client.stream("GET", sent["stream_url"]) as resp:
            lines = resp.iter_lines()
            for line in lines:
                if line.startswith("event: token"):
                    chunks.append(line)
                    if len(chunks) == 3:
                        proc.kill()
                if line.startswith("event: done"):
                    break
            final = next(lines)
        assert '"status": "error"' in final and "interrompue" in final
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        answer = db.get(Message, sent["answer_id"])
        assert (
            answer is not None and answer.status == "error" and answer.content
        )  # partial text kept
        question = db.scalar(select(Message).where(Message.role == "user"))
        assert question is not None and "poème" in question.content
    page = client.get(sent["url"])
    assert page.status_code == 200


def test_slow_server_times_out(server_app: TestClient, personas: Personas) -> None:
    server_app.app.state.settings.provider_first_token_timeout_s = 0.001  # type: ignore[attr-defined]
    headers = login_as(server_app, "agent")
    sent = send(server_app, headers, "Dis bonjour.").json()
    final = done(server_app, sent["stream_url"])
    assert final["status"] == "error" and "trop de temps" in final["error"]
    with server_app.app.state.sessions() as db:  # type: ignore[attr-defined]
        event = db.scalar(select(UsageEvent))
        assert event is not None and event.outcome == "timeout"
        assert db.get(Message, sent["answer_id"]).status == "error"  # type: ignore[union-attr]


async def test_stop_sequences_reach_the_server(server: str) -> None:
    free, _ = await collect(
        provider(server), request("Dis bonjour et présente-toi.", max_tokens=12)
    )
    assert " " in free.strip()
    req = request("Dis bonjour et présente-toi.", max_tokens=12)
    req.stop = [" "]
    stopped, _ = await collect(provider(server), req)
    assert stopped.strip() and " " not in stopped.strip()
