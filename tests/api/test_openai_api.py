"""The OpenAI-compatible API: tokens, models, completions with and without streaming."""

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.usage.models import UsageEvent
from tests.conftest import Personas, login_as, page_text


def _token(client: TestClient, login: str) -> str:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        user = db.scalar(select(User).where(User.login == login))
        token, _ = api_tokens.create(db, user=user, name="test")
        db.commit()
    return token


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc"])
def test_requires_a_valid_token(client: TestClient, personas: Personas, header: str | None) -> None:
    resp = client.get("/v1/models", headers={"Authorization": header} if header else {})
    assert resp.status_code == 401
    assert resp.json()["error"]["type"] == "authentication_error"


def test_models_lists_provider_models_and_assistants(
    client: TestClient, personas: Personas
) -> None:
    data = client.get("/v1/models", headers=_auth(_token(client, "agent"))).json()["data"]
    ids = [m["id"] for m in data]
    assert "qwen2.5-coder-1.5b-instruct-q4_k_m" in ids and "assistant:chat" in ids


def test_revoked_token_stops_working(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    page = page_text(
        client.post("/compte/jetons", data={"name": "logiciel courrier"}, headers=headers)
    )
    token = page.split('<code id="new-token">')[1].split("<")[0]
    assert client.get("/v1/models", headers=_auth(token)).status_code == 200
    assert token not in client.get("/compte/jetons").text  # shown once only
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        token_id = api_tokens.list_for(db, db.get(User, personas["agent"].id))[0].id
    client.post(f"/compte/jetons/{token_id}/revoquer", headers=headers)
    assert client.get("/v1/models", headers=_auth(token)).status_code == 401


def test_cannot_revoke_someone_elses_token(client: TestClient, personas: Personas) -> None:
    _token(client, "agent")
    headers = login_as(client, "bob")
    assert client.post("/compte/jetons/1/revoquer", headers=headers).status_code == 404


def test_bad_requests_get_clear_errors(client: TestClient, personas: Personas) -> None:
    headers = _auth(_token(client, "agent"))
    assert (
        client.post("/v1/chat/completions", json={"messages": []}, headers=headers).status_code
        == 422
    )
    resp = client.post(
        "/v1/chat/completions",
        json={"model": "gpt-9", "messages": [{"role": "user", "content": "x"}]},
        headers=headers,
    )
    assert resp.status_code == 404 and "gpt-9" in resp.json()["error"]["message"]
    resp = client.post(
        "/v1/chat/completions",
        json={"model": "assistant:nope", "messages": [{"role": "user", "content": "x"}]},
        headers=headers,
    )
    assert resp.status_code == 404


@pytest.mark.model
def test_completion_without_stream(client: TestClient, personas: Personas) -> None:
    body = {
        "model": "assistant:chat",
        "messages": [{"role": "user", "content": "Dis bonjour."}],
        "max_tokens": 6,
    }
    resp = client.post("/v1/chat/completions", json=body, headers=_auth(_token(client, "bob")))
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["object"] == "chat.completion" and data["choices"][0]["message"]["content"].strip()
    assert data["usage"]["completion_tokens"] == 6
    assert data["choices"][0]["finish_reason"] == "length"  # capped by max_tokens, not finished
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        event = db.scalar(select(UsageEvent))
        assert event is not None and event.source == "api" and event.assistant_id == "chat"
        assert event.user_id == personas["bob"].id and event.service_id == personas.service_b.id


@pytest.mark.model
def test_completion_streams(client: TestClient, personas: Personas) -> None:
    body = {"messages": [{"role": "user", "content": "Dis bonjour."}], "max_tokens": 6, "stream": True,
            "stream_options": {"include_usage": True}}  # fmt: skip
    resp = client.post("/v1/chat/completions", json=body, headers=_auth(_token(client, "agent")))
    lines = [line[6:] for line in resp.text.splitlines() if line.startswith("data: ")]
    assert lines[-1] == "[DONE]"
    chunks = [json.loads(x) for x in lines[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text.strip() and len([c for c in chunks if c["choices"]]) >= 3
    assert chunks[-1]["usage"]["completion_tokens"] > 0


def test_disabled_local_model_is_not_offered(client: TestClient, personas: Personas) -> None:
    client.app.state.settings.local_model_enabled = False  # type: ignore[attr-defined]
    data = client.get("/v1/models", headers=_auth(_token(client, "agent"))).json()["data"]
    assert "qwen2.5-coder-1.5b-instruct-q4_k_m" not in [m["id"] for m in data]
    body = {"messages": [{"role": "user", "content": "Bonjour"}]}
    resp = client.post("/v1/chat/completions", json=body, headers=_auth(_token(client, "agent")))
    assert resp.status_code == 404 and "Aucun modèle" in resp.json()["error"]["message"]
