"""The comité's kill switch and training requirement hold on every path to a model: a plain
model name through the API is the general chat, refused like `assistant:chat`, and the gateway
refuses a call that skipped the route's check."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.audit.models import AuditEntry
from civia.chat.gateway import Blocked, CallContext, CallResult
from civia.db.engine import session_scope
from civia.governance import usecases
from civia.governance.guards import SUSPENDED, TRAINING
from civia.providers.base import ChatMessage, ChatRequest
from civia.providers.model_files import MODEL_ID
from civia.usage.models import UsageEvent
from tests.conftest import Personas


def _token(client: TestClient, login: str) -> dict[str, str]:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        user = db.scalar(select(User).where(User.login == login))
        token, _ = api_tokens.create(db, user=user, name="test")
    return {"Authorization": f"Bearer {token}"}


def _restrict_chat(client: TestClient, personas: Personas, *, training: bool) -> None:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        case = usecases.suspend_assistant(
            db, tenant_id=personas.tenant.id, actor=None, assistant_id="chat", reason="Incident"
        )
        if training:  # reopened, approved for trained agents only
            case.status, case.training_required = "approved", True


def _ask(client: TestClient, headers: dict[str, str], model: str) -> dict:
    body = {"model": model, "messages": [{"role": "user", "content": "Bonjour"}], "max_tokens": 2}
    resp = client.post("/v1/chat/completions", json=body, headers=headers)
    assert resp.status_code == 403, resp.text
    return resp.json()["error"]


@pytest.mark.parametrize("model", [MODEL_ID, "", "assistant:chat"])
def test_suspended_chat_is_refused_whatever_the_model_name(
    client: TestClient, personas: Personas, model: str
) -> None:
    headers = _token(client, "agent")
    _restrict_chat(client, personas, training=False)
    error = _ask(client, headers, model)
    assert error == {"message": SUSPENDED, "type": "permission_error", "code": 403}
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        refused = db.scalars(select(AuditEntry).where(AuditEntry.action == "assistant.refused"))
        assert [(e.target, e.details["source"]) for e in refused] == [("assistant:chat", "api")]
        assert db.scalar(select(UsageEvent)) is None  # the model was never called


def test_training_requirement_holds_for_a_plain_model(
    client: TestClient, personas: Personas
) -> None:
    headers = _token(client, "agent")
    _restrict_chat(client, personas, training=True)
    assert _ask(client, headers, MODEL_ID)["message"] == TRAINING
    # another collectivité's agent is not concerned by Démoville's comité
    body = {"model": "nope", "messages": [{"role": "user", "content": "Bonjour"}]}
    other = client.post("/v1/chat/completions", json=body, headers=_token(client, "carol"))
    assert other.status_code == 404  # past the guard, to the unknown model


def test_the_gateway_refuses_a_call_that_skipped_the_route_check(
    client: TestClient, personas: Personas
) -> None:
    _restrict_chat(client, personas, training=False)
    gateway = client.app.state.gateway  # type: ignore[attr-defined]
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        target = gateway.resolve(db, personas.tenant.id, MODEL_ID)
    ctx = CallContext(
        tenant_id=personas.tenant.id,
        user_id=personas["agent"].id,
        service_id=None,
        source="web",
    )
    request = ChatRequest(messages=[ChatMessage("user", "Bonjour")], max_tokens=2)

    async def call() -> None:
        async for _ in gateway.stream(ctx, target, request, CallResult()):
            pass

    with pytest.raises(Blocked) as exc:
        asyncio.run(call())
    assert exc.value.message_fr == SUSPENDED
