"""The API's rate limit per token: refused past CIVIA_API_RATE_LIMIT with 429, Retry-After and
a French message, before the body is read; other tokens unaffected; counted in Redis when set."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.db.engine import session_scope
from civia.settings import Settings
from tests.conftest import build_app


@pytest.fixture(params=["memory", "redis"])
def limited(request: pytest.FixtureRequest, settings: Settings, password_hash: str) -> Iterator:
    redis_url = ""
    if request.param == "redis":
        import redis

        redis_url = "redis://127.0.0.1:6379/0"
        try:
            redis.Redis.from_url(redis_url).ping()
        except redis.RedisError:
            pytest.skip("Redis not reachable")
    changed = settings.model_copy(update={"api_rate_limit": "3/minute", "redis_url": redis_url})
    client, _ = build_app(changed, password_hash)
    with client:
        yield client
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def _auth(client: TestClient, login: str) -> dict[str, str]:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        user = db.scalar(select(User).where(User.login == login))
        token, _ = api_tokens.create(db, user=user, name=f"t-{uuid.uuid4().hex[:6]}")
    return {"Authorization": f"Bearer {token}"}


def test_past_the_limit_a_token_gets_429_with_retry_after(limited: TestClient) -> None:
    agent, bob = _auth(limited, "agent"), _auth(limited, "bob")
    for _ in range(3):
        assert limited.get("/v1/models", headers=agent).status_code == 200
    resp = limited.get("/v1/models", headers=agent)
    assert resp.status_code == 429
    assert 1 <= int(resp.headers["Retry-After"]) <= 60
    error = resp.json()["error"]
    assert error["type"] == "rate_limit_error" and error["code"] == 429
    assert "Trop de requêtes avec ce jeton d'API (au plus 3 par minute)" in error["message"]
    # refused before the body is read or parsed: a broken body gets the same 429
    broken = limited.post("/v1/chat/completions", content=b"{", headers=agent)
    assert broken.status_code == 429
    assert limited.get("/v1/models", headers=bob).status_code == 200  # per token


def test_requests_without_a_token_are_not_counted_and_still_refused(
    limited: TestClient,
) -> None:
    for _ in range(5):
        assert limited.get("/v1/models").status_code == 401


def test_the_rate_is_validated() -> None:
    with pytest.raises(ValueError, match="api_rate_limit"):
        Settings(api_rate_limit="beaucoup")
