"""Monthly budgets in € and kgCO2eq per collectivité, service and user, from the pilotage
ledger: a refused call answers 429 with Retry-After in French, and concurrent calls never
overshoot (each holds an upper bound of its cost until its ledger row is written)."""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from limits.storage import MemoryStorage
from sqlalchemy import func, select, update

from civia.accounts import api_tokens
from civia.accounts.models import Tenant, User
from civia.db.engine import session_scope
from civia.providers.models import Provider
from civia.settings import Settings
from civia.usage import quotas, rates
from civia.usage.models import LedgerEntry, ProviderRate, UsageEvent
from civia.usage.quotas import Keeper, QuotaExceeded, Reserve
from tests.conftest import Personas, login_as, page_text


def _spend(db, user: User, eur: float, kg: float = 0.0) -> None:  # type: ignore[no-untyped-def]
    event = UsageEvent(
        request_id=uuid.uuid4().hex[:16], tenant_id=user.tenant_id, user_id=user.id,
        service_id=user.service_id, provider_name="p", model="m", source="web", outcome="ok",
    )  # fmt: skip
    db.add(event)
    db.add(LedgerEntry(event=event, tenant_id=user.tenant_id, cost_eur=eur, gwp_kgco2eq_max=kg))
    db.flush()


def _user(db, login: str) -> User:  # type: ignore[no-untyped-def]
    found = db.scalar(select(User).where(User.login == login))
    assert found is not None
    return found  # type: ignore[no-any-return]


def test_budgets_by_scope_from_the_ledger(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    keeper = Keeper(settings, MemoryStorage())
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None
        agent, bob, carol = _user(db, "agent"), _user(db, "bob"), _user(db, "carol")
        quotas.set_quota(db, tenant=tenant, budget_eur_month=10.0, budget_kgco2eq_month=2.0)
        quotas.set_quota(db, tenant=tenant, service=personas.service_b, budget_eur_month=1.0)
        keeper.release(keeper.admit(db, bob, lambda: Reserve(500_000, 0)))  # 0.50 € held
        _spend(db, bob, 0.9)
        with pytest.raises(QuotaExceeded) as refused:  # 0.90 spent + 0.50 held > 1 €
            keeper.admit(db, bob, lambda: Reserve(500_000, 0))
        assert "Quota de votre service atteint (budget mensuel en euros)" in (
            refused.value.message_fr
        )
        assert refused.value.retry_after >= 1
        hold = keeper.admit(db, agent, lambda: Reserve(500_000, 0))  # service A: no budget
        assert hold is not None and keeper.storage.get(f"civia/hold-eur/t{tenant.id}") > 0
        keeper.release(hold)
        assert keeper.storage.get(f"civia/hold-eur/t{tenant.id}") == 0
        _spend(db, agent, 0.2, kg=2.5)  # the carbon budget is spent
        with pytest.raises(QuotaExceeded) as carbon:
            keeper.peek(db, agent)
        assert "budget carbone mensuel" in carbon.value.message_fr
        assert keeper.admit(db, carol, lambda: Reserve(10**9, 10**9)) is None  # Autreville
        with pytest.raises(Exception, match="nombre positif"):
            quotas.set_quota(db, tenant=tenant, budget_eur_month=-1)


def test_no_overshoot_under_concurrency(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    """8 threads over two keepers sharing one store (two app processes), 25 calls each, every
    call costing a random amount up to its reserve: the month's spending stays within 5 €."""
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    store = MemoryStorage()
    keepers = [Keeper(settings, store), Keeper(settings, store)]
    with session_scope(sessions) as db:
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None
        quotas.set_quota(db, tenant=tenant, budget_eur_month=5.0)
    admitted, refused = [], []
    lock = threading.Lock()

    def worker(number: int) -> None:
        rng = random.Random(number)
        for _ in range(25):
            with session_scope(sessions) as db:
                user = _user(db, "agent")
                try:
                    hold = keepers[number % 2].admit(db, user, lambda: Reserve(200_000, 0))
                except QuotaExceeded:
                    with lock:
                        refused.append(1)
                    continue
            with session_scope(sessions) as db:  # the call's ledger row, committed…
                _spend(db, _user(db, "agent"), rng.uniform(0.01, 0.2))
            keepers[number % 2].release(hold)  # …then the hold is released
            with lock:
                admitted.append(1)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with session_scope(sessions) as db:
        spent = db.scalar(
            select(func.sum(LedgerEntry.cost_eur)).where(LedgerEntry.tenant_id == tenant.id)
        )
    assert spent is not None and spent <= 5.0
    assert len(admitted) >= 25 and refused  # the budget was used, then calls were refused
    assert store.get(f"civia/hold-eur/t{personas.tenant.id}") == 0


class _Cloud(BaseHTTPRequestHandler):
    """A cloud API's double (OpenAI-compatible, streamed): three tokens and their usage."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        json.loads(self.rfile.read(length))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in ("Bon", "jour", "."):
            chunk = {"choices": [{"delta": {"content": piece}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        done = {"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 3}}
        self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def cloud() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Cloud)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_budget_answers_429_through_the_gateway(client: TestClient, personas: Personas) -> None:
    """1 € per output token, 4 tokens at most: a call holds 4 €, costs 3 €; with 10 € the
    third call passes (6 + 4 ≤ 10), the fourth is refused (9 + 4 > 10), 9 € spent."""
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    with cloud() as base_url, session_scope(sessions) as db:
        tid = personas.tenant.id
        db.execute(update(Provider).where(Provider.tenant_id == tid).values(is_default=False))
        provider = Provider(
            tenant_id=tid, name="Cloud", kind="openai_compat", base_url=base_url,
            hosting_class="fr_sovereign", models=["cloud-m"], is_default=True,
        )  # fmt: skip
        db.add(provider)
        db.flush()
        db.add(ProviderRate(tenant_id=tid, provider_id=provider.id, eur_per_mtok_output=1e6))
        tenant = db.get(Tenant, tid)
        assert tenant is not None
        quotas.set_quota(db, tenant=tenant, budget_eur_month=10.0)
        token, _ = api_tokens.create(db, user=_user(db, "agent"), name="budget")
        db.commit()
        rates.clear()
        body = {"model": "cloud-m", "messages": [{"role": "user", "content": "Bonjour"}],
                "max_tokens": 4}  # fmt: skip
        auth = {"Authorization": f"Bearer {token}"}
        answers = [client.post("/v1/chat/completions", json=body, headers=auth) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429], answers[-1].text
    assert int(answers[-1].headers["retry-after"]) >= 1
    assert "budget mensuel en euros" in answers[-1].text
    with session_scope(sessions) as db:
        spent = db.scalar(
            select(func.sum(LedgerEntry.cost_eur)).where(LedgerEntry.tenant_id == tid)
        )
        assert spent == pytest.approx(9.0)
    # The admin sees the budget against its consumption.
    login_as(client, "admin")
    page = page_text(client.get("/admin/quotas"))
    assert "Budget mensuel (€)" in page and "<td>10</td>\n    <td>9</td>" in page


def test_tokens_per_minute(client: TestClient, personas: Personas, settings: Settings) -> None:
    keeper = Keeper(settings, MemoryStorage())
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None
        agent, bob = _user(db, "agent"), _user(db, "bob")
        quotas.set_quota(db, tenant=tenant, user=agent, tokens_per_minute=100)
        keeper.admit(db, agent)
        keeper.consume(tenant_id=tenant.id, service_id=None, user_id=agent.id, tokens=120)
        with pytest.raises(QuotaExceeded) as refused:
            keeper.admit(db, agent)
        assert "Quota personnel atteint (jetons par minute)" in refused.value.message_fr
        assert 1 <= refused.value.retry_after <= 60
        keeper.admit(db, bob)  # bob has no such limit


def test_tokens_of_calls_in_flight_are_counted(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    """Calls started together see each other's reserve of tokens: the limit is passed by one
    call at most, not by every call that started before the first one finished."""
    keeper = Keeper(settings, MemoryStorage())
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None
        agent = _user(db, "agent")
        quotas.set_quota(db, tenant=tenant, user=agent, tokens_per_day=100)
        first = keeper.admit(db, agent, lambda: Reserve(0, 0, tokens=80))
        second = keeper.admit(db, agent, lambda: Reserve(0, 0, tokens=80))  # 80 < 100 before
        with pytest.raises(QuotaExceeded) as refused:  # 160 in flight: refused at once
            keeper.admit(db, agent, lambda: Reserve(0, 0, tokens=80))
        assert "Quota personnel atteint (jetons par jour)" in refused.value.message_fr
        assert keeper.used_today(f"u{agent.id}") == 160  # the refused call took its back
        for held in (first, second):  # each answer used 30 tokens: actual in, reserve out
            keeper.consume(tenant_id=tenant.id, service_id=None, user_id=agent.id, tokens=30)
            keeper.release(held)
        assert keeper.used_today(f"u{agent.id}") == 60
        keeper.release(keeper.admit(db, agent, lambda: Reserve(0, 0, tokens=80)))  # 60 < 100
        assert keeper.used_today(f"u{agent.id}") == 60


def test_a_failure_while_holding_gives_back_what_was_held(
    client: TestClient, personas: Personas, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tokens are held first, then the budget reads the month's spending: when that read
    fails (the database gone), the tokens already held are given back, not kept until the
    counter expires (midnight for a daily quota)."""
    keeper = Keeper(settings, MemoryStorage())
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None
        agent = _user(db, "agent")
        quotas.set_quota(db, tenant=tenant, user=agent, tokens_per_day=100)
        quotas.set_quota(db, tenant=tenant, budget_eur_month=10.0)

        def database_gone(*args: object, **kwargs: object) -> None:
            raise ConnectionError("database gone")

        monkeypatch.setattr(keeper, "_hold", database_gone)
        with pytest.raises(ConnectionError):
            keeper.admit(db, agent, lambda: Reserve(1000, 0, tokens=80))
        assert keeper.used_today(f"u{agent.id}") == 0
