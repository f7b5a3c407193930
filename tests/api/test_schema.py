"""The OpenAPI schema is for API-token holders and logged-in users; no CDN docs page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.db.engine import session_scope
from tests.conftest import Personas, login


def test_anonymous_callers_get_neither_schema_nor_docs(
    client: TestClient, personas: Personas
) -> None:
    resp = client.get("/openapi.json", headers={"Accept": "application/json"})
    assert resp.status_code == 401
    assert client.get("/openapi.json", follow_redirects=False).status_code == 303
    bad = client.get("/openapi.json", headers={"Authorization": "Bearer civia_faux"})
    assert bad.status_code == 401 and bad.json()["error"]["type"] == "authentication_error"
    for path in ("/api/docs", "/docs", "/redoc"):
        assert client.get(path, follow_redirects=False).status_code in (303, 404), path


def test_token_holders_and_logged_in_users_get_the_schema(
    client: TestClient, personas: Personas
) -> None:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        user = db.scalar(select(User).where(User.login == "agent"))
        token = api_tokens.create(db, user=user, name="t")[0]
    schema = client.get("/openapi.json", headers={"Authorization": f"Bearer {token}"}).json()
    assert "/v1/chat/completions" in schema["paths"]
    assert "/v1/embeddings" in schema["paths"] and "/v1/audio/transcriptions" in schema["paths"]
    form = schema["paths"]["/v1/audio/transcriptions"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in form
    assert "/openapi.json" not in schema["paths"]
    login(client, "bob")
    assert client.get("/openapi.json").json()["info"]["title"] == "Civia"
