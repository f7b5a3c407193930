"""The read caches of a model call (API tokens, the charter's version, a collectivité's
providers) never outlive a change made in this process, stay within their time bound for a
change made by another process, and never mix two collectivités; a call is admitted once."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from civia.accounts import api_tokens
from civia.accounts.models import ApiToken, User
from civia.api.openai import content_frame
from civia.chat.gateway import Blocked, CallResult, NoProvider, call_context
from civia.db import readcache
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.governance import charter, usecases
from civia.providers.base import ChatMessage, ChatRequest
from civia.providers.models import Provider
from tests.conftest import Personas


def _sessions(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app.state.sessions  # type: ignore[attr-defined]


def _token(client: TestClient, login: str) -> dict[str, str]:
    with session_scope(_sessions(client)) as db:
        user = db.scalar(select(User).where(User.login == login))
        token, _ = api_tokens.create(db, user=user, name="test")
    return {"Authorization": f"Bearer {token}"}


def _models(client: TestClient, headers: dict[str, str]) -> int:
    return client.get("/v1/models", headers=headers).status_code


def test_a_token_revoked_here_is_refused_at_once(client: TestClient, personas: Personas) -> None:
    headers = _token(client, "agent")
    assert _models(client, headers) == 200  # the token is now cached
    with session_scope(_sessions(client)) as db:  # a new password revokes every token (bulk)
        assert api_tokens.revoke_all(db, user_id=personas["agent"].id) == 1
    assert _models(client, headers) == 401


def test_a_token_revoked_by_another_process_is_refused_within_the_bound(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = _token(client, "agent")
    # The first call writes its last use (which empties the cache), the second caches the row.
    assert _models(client, headers) == _models(client, headers) == 200
    # Another process: its own engine on the same database, so this process is not told.
    url = client.app.state.engine.url  # type: ignore[attr-defined]
    other = make_engine(url.render_as_string(hide_password=False))
    try:
        with session_scope(make_sessionmaker(other)) as db:
            db.execute(update(ApiToken).values(revoked_at=ApiToken.created_at))
    finally:
        other.dispose()
    assert _models(client, headers) == 200  # still remembered, as documented
    now = readcache.clock()
    monkeypatch.setattr(readcache, "clock", lambda: now + api_tokens.TTL_S + 0.1)
    assert _models(client, headers) == 401


def test_a_new_charter_is_required_at_once(client: TestClient, personas: Personas) -> None:
    headers = _token(client, "agent")
    assert _models(client, headers) == 200  # version 1 accepted, cached
    with session_scope(_sessions(client)) as db:
        admin = db.get(User, personas["admin"].id)
        assert admin is not None
        charter.publish(db, author=admin, title="Charte v2", body="Nouvelle règle. " * 10)
    resp = client.get("/v1/models", headers=headers)
    assert resp.status_code == 403 and "charte" in resp.json()["error"]["message"]
    with session_scope(_sessions(client)) as db:
        agent = db.get(User, personas["agent"].id)
        assert agent is not None
        charter.accept(db, agent, version=2)
    assert _models(client, headers) == 200


def _resolve(client: TestClient, tenant_id: int, model: str = ""):  # type: ignore[no-untyped-def]
    gateway = client.app.state.gateway  # type: ignore[attr-defined]
    with session_scope(_sessions(client)) as db:
        return gateway.resolve(db, tenant_id, model)


def test_a_provider_change_is_seen_at_once(client: TestClient, personas: Personas) -> None:
    first = _resolve(client, personas.tenant.id)
    assert first.clearance == "sensitive"
    with session_scope(_sessions(client)) as db:
        row = db.get(Provider, first.provider_id)
        assert row is not None
        row.clearance = "public"
        db.add(
            Provider(
                tenant_id=personas.tenant.id, name="Serveur", kind="openai_compat",
                base_url="http://127.0.0.1:9/v1", models=["autre-modele"], hosting_class="eu",
            )
        )  # fmt: skip
    assert _resolve(client, personas.tenant.id).clearance == "public"
    assert _resolve(client, personas.tenant.id, "autre-modele").provider_name == "Serveur"
    with session_scope(_sessions(client)) as db:
        db.execute(update(Provider).values(enabled=False))  # bulk: every provider off
    with pytest.raises(NoProvider):
        _resolve(client, personas.tenant.id)


def test_a_change_in_the_same_transaction_is_read_not_cached(
    client: TestClient, personas: Personas
) -> None:
    gateway = client.app.state.gateway  # type: ignore[attr-defined]
    assert _resolve(client, personas.tenant.id).clearance == "sensitive"
    db: Session = _sessions(client)()
    try:
        db.execute(update(Provider).values(clearance="public"))
        assert gateway.resolve(db, personas.tenant.id).clearance == "public"
        db.rollback()
    finally:
        db.close()
    assert _resolve(client, personas.tenant.id).clearance == "sensitive"


def test_caches_never_mix_collectivites(client: TestClient, personas: Personas) -> None:
    with session_scope(_sessions(client)) as db:
        db.execute(
            update(Provider)
            .where(Provider.tenant_id == personas.other_tenant.id)
            .values(name="Modèle d'Autreville")
        )
    ours, theirs = _resolve(client, personas.tenant.id), _resolve(client, personas.other_tenant.id)
    assert ours.provider_name == "Modèle local" and theirs.provider_name == "Modèle d'Autreville"
    assert ours.provider_id != theirs.provider_id
    assert _resolve(client, personas.tenant.id).provider_id == ours.provider_id
    agent, carol = _token(client, "agent"), _token(client, "carol")
    for headers, login in ((agent, "agent"), (carol, "carol"), (agent, "agent")):
        with session_scope(_sessions(client)) as db:
            token = headers["Authorization"].removeprefix("Bearer ")
            user = api_tokens.authenticate(db, token)
            assert user is not None and user.login == login


def test_an_api_call_checks_the_guard_once(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real = usecases.is_suspended

    def counted(db: Session, tenant_id: int, assistant_id: str) -> bool:
        checked.append(assistant_id)
        return real(db, tenant_id, assistant_id)

    monkeypatch.setattr(usecases, "is_suspended", counted)
    body = {"messages": [{"role": "user", "content": "Bonjour"}], "max_tokens": 2}
    headers = _token(client, "agent")
    for stream in (False, True):
        checked.clear()
        resp = client.post("/v1/chat/completions", json={**body, "stream": stream}, headers=headers)
        assert resp.status_code == 200, resp.text
        assert checked == ["chat"]


def test_a_plugins_call_guard_still_runs_when_the_route_checked_the_comites(
    client: TestClient, personas: Personas
) -> None:
    """The route runs the comité's guard itself; every other registered guard (a plugin's,
    through `register_call_guards`) still runs, once, before the model is called."""
    from civia.plugins.registries import GuardRefused

    gateway = client.app.state.gateway  # type: ignore[attr-defined]
    seen: list[str] = []

    def plugin_guard(db: Session, user: User, assistant_id: str, source: str) -> None:
        seen.append(source)
        raise GuardRefused("Refusé par la règle locale.", "local-rule")

    gateway.guards = (*gateway.guards, plugin_guard)
    body = {"messages": [{"role": "user", "content": "Bonjour"}], "max_tokens": 2}
    headers = _token(client, "agent")
    for stream in (False, True):
        seen.clear()
        resp = client.post("/v1/chat/completions", json={**body, "stream": stream}, headers=headers)
        assert resp.status_code == 403, resp.text
        assert "Refusé par la règle locale." in resp.text
        assert seen == ["api"]


def test_an_admission_serves_its_own_call_once(client: TestClient, personas: Personas) -> None:
    import asyncio

    gateway = client.app.state.gateway  # type: ignore[attr-defined]
    request = ChatRequest(messages=[ChatMessage("user", "Bonjour")], max_tokens=2)
    with session_scope(_sessions(client)) as db:
        agent = db.get(User, personas["agent"].id)
        assert agent is not None
        ctx = call_context(agent, source="api")
        target = gateway.resolve(db, agent.tenant_id)
        admission = gateway.admit_call(db, agent, ctx, target, request)
        other = call_context(agent, source="api")

    async def call(context) -> None:  # type: ignore[no-untyped-def]
        async for _ in gateway.stream(context, target, request, CallResult(), admission):
            pass

    with pytest.raises(Blocked):  # another call cannot use it
        asyncio.run(call(other))
    asyncio.run(call(ctx))
    with pytest.raises(Blocked):  # nor the same call twice
        asyncio.run(call(ctx))


@pytest.mark.parametrize("text", ["Bonjour", ' "guillemets" \\ ', "ligne\nsuivante", "é€😀\u2028"])
def test_content_frames_are_what_json_dumps_writes(text: str) -> None:
    base = {"id": "chatcmpl-x", "object": "chat.completion.chunk", "created": 1, "model": 'm"é'}
    payload = {**base, "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
    assert content_frame(base)(text) == f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def test_an_admission_never_streamed_gives_its_hold_back(
    client: TestClient, personas: Personas
) -> None:
    from civia.accounts.models import Tenant
    from civia.usage import quotas

    gateway = client.app.state.gateway  # type: ignore[attr-defined]
    agent_id = personas["agent"].id
    with session_scope(_sessions(client)) as db:
        tenant, agent = db.get(Tenant, personas.tenant.id), db.get(User, agent_id)
        assert tenant is not None and agent is not None
        quotas.set_quota(db, tenant=tenant, user=agent, tokens_per_day=10_000)
    request = ChatRequest(messages=[ChatMessage("user", "Bonjour")], max_tokens=2)
    with session_scope(_sessions(client)) as db:
        agent = db.get(User, agent_id)
        assert agent is not None
        ctx = call_context(agent, source="api")
        target = gateway.resolve(db, agent.tenant_id)
        admission = gateway.admit_call(db, agent, ctx, target, request)
    assert gateway.quotas.used_today(f"u{agent_id}") > 0  # the reserve, held in flight
    admission.abandon()  # the client left before the response started
    assert gateway.quotas.used_today(f"u{agent_id}") == 0
    admission.abandon()
    assert gateway.quotas.used_today(f"u{agent_id}") == 0


def test_a_tokens_last_use_keeps_the_other_tokens_cached(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The once-a-minute write of a token's last use refreshes its own entry and empties no
    other: the next call of another token reads no token row."""
    now = readcache.clock()
    monkeypatch.setattr(readcache, "clock", lambda: now)  # no entry expires, however slow
    first, second = _token(client, "agent"), _token(client, "referent")
    assert _models(client, first) == 200  # read, cached, its last use written
    engine = client.app.state.engine  # type: ignore[attr-defined]
    reads: list[str] = []

    def count(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if "FROM api_tokens" in statement:
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert _models(client, second) == 200  # its first call: read, last use written
        assert len(reads) == 1
        assert _models(client, first) == _models(client, second) == 200
        assert len(reads) == 1  # both still cached
    finally:
        event.remove(engine, "before_cursor_execute", count)
    with session_scope(_sessions(client)) as db:  # the last uses were written all the same
        stamps = db.scalars(select(ApiToken.last_used_at)).all()
        assert len(stamps) == 2 and all(stamps)
