"""Quotas per collectivité, service and user: exact counters in memory and in Redis, 429 with
Retry-After and a French message in the UI and the API, the CLI."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from limits.storage import MemoryStorage, RedisStorage
from sqlalchemy import select

from civia.accounts import api_tokens
from civia.accounts.models import Tenant, User
from civia.chat.models import Conversation
from civia.db.engine import session_scope
from civia.settings import Settings
from civia.usage import quotas
from civia.usage.quotas import Keeper, QuotaExceeded
from tests.conftest import Personas, login

REDIS = "redis://127.0.0.1:6379/0"


def _user(db, login_: str) -> User:  # type: ignore[no-untyped-def]
    found = db.scalar(select(User).where(User.login == login_))
    assert found is not None
    return found  # type: ignore[no-any-return]


def _redis_or_skip() -> RedisStorage:
    store = RedisStorage(REDIS, key_prefix=f"civia-test-{uuid.uuid4().hex[:8]}")
    if not store.check():
        pytest.skip("Redis not reachable")
    return store


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_requests_per_minute_by_scope(
    client: TestClient, personas: Personas, settings: Settings, backend: str
) -> None:
    store = MemoryStorage() if backend == "memory" else _redis_or_skip()
    # Two keepers on one store: two app processes sharing Redis (or one process's memory).
    first, second = Keeper(settings, store), Keeper(settings, store)
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None
        agent, bob = _user(db, "agent"), _user(db, "bob")
        quotas.set_quota(db, tenant=tenant, requests_per_minute=5)
        quotas.set_quota(db, tenant=tenant, user=agent, requests_per_minute=2)
        first.admit(db, agent)
        second.admit(db, agent)
        with pytest.raises(QuotaExceeded) as refused:
            first.admit(db, agent)
        assert 1 <= refused.value.retry_after <= 60
        assert "Quota personnel atteint (requêtes par minute)" in refused.value.message_fr
        first.admit(db, bob)  # the user's limit is not bob's; the tenant's counts both
        second.admit(db, bob)
        with pytest.raises(QuotaExceeded) as tenant_full:
            first.peek(db, bob)
        assert "de votre collectivité" in tenant_full.value.message_fr
        carol = _user(db, "carol")  # another collectivité: its own counters
        first.admit(db, carol)


def test_tokens_per_day_and_service_scope(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    keeper = Keeper(settings, MemoryStorage())
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None
        quotas.set_quota(
            db,
            tenant=tenant,
            service=personas.service_b,
            requests_per_minute=100,
            tokens_per_day=50,
        )
        bob, agent = _user(db, "bob"), _user(db, "agent")
        keeper.admit(db, bob)
        keeper.consume(tenant_id=tenant.id, service_id=bob.service_id, user_id=bob.id, tokens=60)
        with pytest.raises(QuotaExceeded) as refused:
            keeper.admit(db, bob)
        assert "de votre service" in refused.value.message_fr
        assert "jetons par jour" in refused.value.message_fr
        assert 1 <= refused.value.retry_after <= 86400
        keeper.admit(db, agent)  # service A has no quota
        with pytest.raises(Exception, match="entier positif"):
            quotas.set_quota(db, tenant=tenant, requests_per_minute=0)


def test_429_in_ui_and_api(client: TestClient, personas: Personas) -> None:
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    gateway = client.app.state.gateway  # type: ignore[attr-defined]
    with session_scope(sessions) as db:
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None
        agent = _user(db, "agent")
        quotas.set_quota(db, tenant=tenant, user=agent, requests_per_minute=1, tokens_per_day=20)
        token, _ = api_tokens.create(db, user=agent, name="quota")
    gateway.quotas.consume(
        tenant_id=personas.tenant.id, service_id=None, user_id=personas["agent"].id, tokens=25
    )
    csrf = login(client, "agent")
    page = client.post("/conversations", data={"content": "Bonjour", "csrf_token": csrf})
    assert page.status_code == 429
    assert int(page.headers["retry-after"]) >= 1
    assert "Quota personnel atteint (jetons par jour)" in page.text
    with session_scope(sessions) as db:  # nothing written
        assert db.scalar(select(Conversation).where(Conversation.user_id == agent.id)) is None

    body = {"model": "", "messages": [{"role": "user", "content": "Bonjour"}], "max_tokens": 4}
    api = client.post(
        "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 429, api.text
    assert int(api.headers["retry-after"]) >= 1
    assert api.json()["error"]["type"] == "rate_limit_error"
    assert "jetons par jour" in api.json()["error"]["message"]
    streamed = client.post(
        "/v1/chat/completions",
        json={**body, "stream": True},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert streamed.status_code == 429 and int(streamed.headers["retry-after"]) >= 1


def test_cli_set_list_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from civia.cli import main
    from civia.settings import get_settings

    monkeypatch.setenv("CIVIA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CIVIA_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    cli = CliRunner()

    def run(*args: str) -> str:
        result = cli.invoke(main, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    try:
        run("demo", "load")
        run(
            "quotas",
            "set",
            "--tenant",
            "demoville",
            "--requests-per-minute",
            "30",
            "--tokens-per-day",
            "100000",
        )
        run(
            "quotas",
            "set",
            "--tenant",
            "demoville",
            "--user",
            "agent",
            "--requests-per-minute",
            "5",
        )
        out = run("quotas", "list", "--tenant", "demoville")
        assert "tenant\trpm=30\ttokens/day=100000" in out and "user:agent\trpm=5" in out
        run("quotas", "clear", "--tenant", "demoville", "--user", "agent")
        assert "user:agent" not in run("quotas", "list", "--tenant", "demoville")
        foreign = cli.invoke(
            main,
            [
                "quotas",
                "set",
                "--tenant",
                "demoville",
                "--user",
                "agent-b",
                "--requests-per-minute",
                "5",
            ],
        )
        assert foreign.exit_code == 1 and "Utilisateur inconnu" in foreign.output
        assert re.search(
            r"bourg-temoin\tactive\tCommune de Bourg-Témoin\tusers=2", run("platform", "list")
        )
    finally:
        get_settings.cache_clear()


def test_admin_sets_quotas_within_the_envelope(client: TestClient, personas: Personas) -> None:
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    with session_scope(sessions) as db:
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None
        quotas.set_quota(db, tenant=tenant, requests_per_minute=30, tokens_per_day=1000)
    client.app.state.gateway.quotas.consume(  # type: ignore[attr-defined]
        tenant_id=personas.tenant.id, service_id=None, user_id=personas["bob"].id, tokens=123
    )
    csrf = login(client, "admin")
    bob, carol = f"u{personas['bob'].id}", f"u{personas['carol'].id}"
    over = client.post(
        "/admin/quotas", data={"scope": bob, "requests_per_minute": "31", "csrf_token": csrf}
    )
    assert over.status_code == 422 and "Au plus 30 requêtes par minute" in over.text
    foreign = client.post(
        "/admin/quotas", data={"scope": carol, "requests_per_minute": "5", "csrf_token": csrf}
    )
    assert foreign.status_code == 422 and "Autreville" not in foreign.text
    saved = client.post(
        "/admin/quotas",
        data={
            "scope": bob,
            "requests_per_minute": "10",
            "tokens_per_day": "500",
            "csrf_token": csrf,
        },
    )
    assert saved.status_code == 200 and "Quota enregistré" in saved.text
    assert re.search(
        r"Utilisateur bob</th>\s*<td>10</td>\s*<td>—</td>\s*<td>500</td>\s*<td>123</td>",
        saved.text,
    )
    assert client.get("/").text.count('href="/admin/quotas"') == 1  # in the admin's menu
    other = TestClient(client.app)
    login(other, "olivia")
    assert "Utilisateur bob" not in other.get("/admin/quotas").text
    agent = TestClient(client.app)
    login(agent, "agent")
    assert agent.get("/admin/quotas").status_code == 403
