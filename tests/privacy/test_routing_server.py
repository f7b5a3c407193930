"""End to end: what reaches an "outside EU" model is pseudonymised; the user sees the original.

The model is a real llama_cpp.server behind a proxy that records every request it forwards."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.chat.models import Message
from civia.usage.models import UsageEvent
from tests.chat.helpers import done, send
from tests.conftest import Personas, login_as
from tests.privacy.test_routing import NIR
from tests.servers import llama_server, recording_proxy

pytestmark = pytest.mark.llama_server


@pytest.fixture(scope="module")
def proxied() -> Iterator[tuple[str, list]]:
    with llama_server() as (base, _), recording_proxy(base) as (url, received):
        yield url, received


@pytest.fixture
def outside_eu(client: TestClient, personas: Personas, proxied: tuple[str, list]) -> list:
    url, received = proxied
    received.clear()
    resp = client.post(
        "/admin/fournisseurs",
        data={"name": "Nuage US", "kind": "openai_compat", "base_url": url, "models": "qwen-local",
              "hosting_class": "outside_eu", "enabled": "true", "is_default": "true"},
        headers=login_as(client, "admin"),
    )  # fmt: skip
    assert resp.status_code == 200
    return received


def test_api_call_is_pseudonymised_and_answer_restored(
    client: TestClient, personas: Personas, outside_eu: list
) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        token, _ = api_tokens.create(db, user=db.get(User, personas["agent"].id), name="t")
        db.commit()
    sentence = f"Dossier de Jeanne Dupont, NIR {NIR}."
    body = {"messages": [{"role": "user", "content": f"Recopie exactement, sans rien ajouter : {sentence}"}],
            "temperature": 0, "max_tokens": 40}  # fmt: skip
    resp = client.post(
        "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert resp.status_code == 200, resp.text
    wire = str(outside_eu[-1]["messages"])
    assert "Dupont" not in wire and NIR not in wire and NIR.replace(" ", "") not in wire
    assert "[PERSONNE_1]" in wire and "[NIR_1]" in wire
    answer = resp.json()["choices"][0]["message"]["content"]
    assert "Dupont" in answer and "PERSONNE_1" not in answer
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        event = db.scalar(select(UsageEvent))
        assert event is not None and event.extra["pii_masked"] == {"PERSON": 1, "NIR": 1}


def test_chat_tells_the_user_what_was_masked(
    client: TestClient, personas: Personas, outside_eu: list
) -> None:
    headers = login_as(client, "agent")
    sent = send(client, headers, f"Je suis Jeanne Dupont, NIR {NIR}. Dis bonjour.").json()
    final = done(client, sent["stream_url"])
    assert (
        final["status"] == "ok" and "1 NIR" in final["masked"] and "1 personne" in final["masked"]
    )
    assert "Dupont" not in str(outside_eu[-1]["messages"])


def test_refuse_policy_keeps_the_message(
    client: TestClient, personas: Personas, outside_eu: list
) -> None:
    client.post(
        "/admin/politique-donnees", data={"policy": "refuse"}, headers=login_as(client, "admin")
    )
    headers = login_as(client, "agent")
    sent = send(client, headers, f"Mon NIR est {NIR}.").json()
    final = done(client, sent["stream_url"])
    assert final["status"] == "error" and "n'est pas autorisé" in final["error"]
    assert outside_eu == []  # nothing left Civia
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert (
            db.scalar(select(Message).where(Message.role == "user")).content
            == f"Mon NIR est {NIR}."
        )  # type: ignore[union-attr]
        assert db.scalar(select(UsageEvent)).outcome == "refused"  # type: ignore[union-attr]


def test_api_system_message_is_pseudonymised(
    client: TestClient, personas: Personas, outside_eu: list
) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        token, _ = api_tokens.create(db, user=db.get(User, personas["agent"].id), name="t")
        db.commit()
    body = {"messages": [{"role": "system", "content": f"Dossier de Jeanne Dupont, NIR {NIR}."},
                         {"role": "user", "content": "Dis bonjour."}],
            "temperature": 0, "max_tokens": 8}  # fmt: skip
    resp = client.post(
        "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert resp.status_code == 200, resp.text
    wire = str(outside_eu[-1]["messages"])
    assert "Dupont" not in wire and NIR not in wire and "[NIR_1]" in wire


def test_assistant_run_through_the_api_is_pseudonymised(
    client: TestClient, personas: Personas, outside_eu: list
) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        token, _ = api_tokens.create(db, user=db.get(User, personas["agent"].id), name="t")
        db.commit()
    body = {"model": "assistant:correction", "max_tokens": 24,
            "messages": [{"role": "user", "content": f"Madame Jeanne Dupont, NIR {NIR}, a écrit."}]}  # fmt: skip
    resp = client.post(
        "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert outside_eu, resp.text  # the assistant's prompt reached the model…
    wire = str(outside_eu[-1]["messages"])
    assert "Dupont" not in wire and NIR not in wire and "[PERSONNE_1]" in wire  # …masked


def test_grounded_message_from_document_passages_is_pseudonymised(
    client: TestClient, personas: Personas, outside_eu: list
) -> None:
    """Passages found by `ground` (documents) put in the prompt, as grounded chat does."""
    import asyncio

    from civia.chat.gateway import CallContext, CallResult
    from civia.documents.grounding import ground
    from civia.documents.ingest import ingest_bytes
    from civia.documents.models import Collection
    from civia.providers.base import ChatMessage, ChatRequest

    note = (f"Commission logement du 3 mars. Le dossier de Mme Jeanne Dupont (NIR {NIR}) est "
            "prioritaire : logement adapté au rez-de-chaussée.")  # fmt: skip
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    with sessions() as db:
        agent = db.get(User, personas["agent"].id)
        collection = Collection(tenant_id=agent.tenant_id, scope="tenant", name="Logement")
        db.add(collection)
        db.flush()
        ingest_bytes(db, collection=collection, filename="commission.txt", data=note.encode())
        db.commit()
        grounding = ground(db, agent, "dossier prioritaire logement", embedder=None)
        assert grounding.found and "Dupont" in grounding.prompt_block()
        gateway = client.app.state.gateway  # type: ignore[attr-defined]
        target = gateway.resolve(db, agent.tenant_id)
    question = "Quel dossier est prioritaire ? Recopie le nom."
    request = ChatRequest(
        messages=[
            ChatMessage("system", f"{grounding.instructions()}\n\n{grounding.prompt_block()}"),
            ChatMessage("user", f"Extraits :\n{grounding.prompt_block()}\n\nQuestion : {question}"),
        ],
        max_tokens=24,
        temperature=0,
    )
    ctx = CallContext(tenant_id=agent.tenant_id, user_id=agent.id, service_id=None, source="web")
    result = CallResult()

    async def call() -> None:
        async for _chunk in gateway.stream(ctx, target, request, result):
            pass

    asyncio.run(call())
    assert target.hosting_class == "outside_eu" and result.outcome == "ok"
    wire = str(outside_eu[-1]["messages"])
    assert "Dupont" not in wire and NIR not in wire and NIR.replace(" ", "") not in wire
    assert "[PERSONNE_1]" in wire and "[NIR_1]" in wire
    assert result.masked == {"PERSON": 2, "NIR": 2}
    assert "PERSONNE_1" not in result.text  # what the user reads is restored
