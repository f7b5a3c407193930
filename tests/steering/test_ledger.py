"""The ledger: each call's cost and footprint, recomputed here from ecologits and known inputs,
on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from ecologits.electricity_mix_repository import electricity_mixes
from ecologits.impacts.llm import compute_llm_impacts
from ecologits.tracers.utils import llm_impacts
from sqlalchemy import select

from civia.chat.gateway import CallContext, CallResult, Gateway
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.db.migrate import upgrade
from civia.providers.base import ChatMessage, ChatRequest, ProviderError
from civia.providers.models import Provider
from civia.settings import Settings
from civia.usage import ledger, rates
from civia.usage.models import LedgerEntry, ProviderRate, UsageEvent
from tests.conftest import make_personas
from tests.servers import garbage_server


@pytest.fixture(autouse=True)
def _fresh_rates() -> None:
    rates.clear()  # the per-process cache must not carry one test's declarations to another


def _event(tenant_id: int, provider_id: int, model: str = "m", **kw: object) -> UsageEvent:
    fields: dict[str, object] = dict(
        request_id="r1", tenant_id=tenant_id, user_id=None, service_id=None,
        provider_id=provider_id, provider_name="p", model=model, source="web",
        prompt_tokens=1000, completion_tokens=200, latency_ms=8000.0, ttft_ms=300.0,
        outcome="ok", extra={},
    )  # fmt: skip
    fields.update(kw)
    return UsageEvent(**fields)


def test_local_model_footprint_and_energy_cost(db_url: str, password_hash: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as db:
        personas = make_personas(db, password_hash)
        local = db.scalar(select(Provider).where(Provider.tenant_id == personas.tenant.id))
        assert local is not None
        event = _event(personas.tenant.id, local.id)
        db.add(event)
        figures = ledger.record(db, event)
    fra = electricity_mixes.find_electricity_mix(zone="FRA")
    assert fra is not None
    expected = compute_llm_impacts(
        model_active_parameter_count=1.5, model_total_parameter_count=1.5,
        output_token_count=200, if_electricity_mix_adpe=fra.adpe, if_electricity_mix_pe=fra.pe,
        if_electricity_mix_gwp=fra.gwp, if_electricity_mix_wue=fra.wue, datacenter_pue=1.5,
        datacenter_wue=0.0, request_latency=8.0,
    )  # fmt: skip
    kwh = float(expected.energy.value)
    with session_scope(sessions) as db:
        row = db.scalar(select(LedgerEntry))
        assert row is not None and row.tenant_id == personas.tenant.id and row.kind == "chat"
        assert row.energy_kwh_min == pytest.approx(kwh) and row.energy_kwh_max == pytest.approx(kwh)
        assert row.gwp_kgco2eq_min == pytest.approx(float(expected.gwp.value))
        assert row.cost_eur == pytest.approx(kwh * 0.25)  # energy × the default €/kWh
        assert row.inputs["footprint"]["active_params_b"] == 1.5
        assert row.inputs["footprint"]["zone"] == "FRA"
        assert row.detail["usage"]["kwh"][0] == pytest.approx(kwh)
        assert row.detail["embodied"]["kgco2eq"][0] > 0
    assert figures.carbon() == {
        "kWh": {"min": pytest.approx(kwh), "max": pytest.approx(kwh)},
        "kgCO2eq": {"min": pytest.approx(float(expected.gwp.value)),
                    "max": pytest.approx(float(expected.gwp.value))},
    }  # fmt: skip
    engine.dispose()


def test_declared_prices_and_a_model_ecologits_knows(sqlite_url: str, password_hash: str) -> None:
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    with session_scope(sessions) as db:
        personas = make_personas(db, password_hash)
        api = Provider(tenant_id=personas.tenant.id, name="Mistral", kind="openai_compat",
                       hosting_class="fr_sovereign", models=["mistral-small-latest"])  # fmt: skip
        unknown = Provider(tenant_id=personas.tenant.id, name="Autre", kind="openai_compat",
                           models=["x"])  # fmt: skip
        db.add_all([api, unknown])
        db.flush()
        db.add(ProviderRate(tenant_id=personas.tenant.id, provider_id=api.id,
                            eur_per_mtok_input=0.1, eur_per_mtok_output=0.3,
                            ecologits_provider="mistralai"))  # fmt: skip
        db.flush()
        known = ledger.record(db, _event(personas.tenant.id, api.id, "mistral-small-latest"))
        blind = ledger.record(db, _event(personas.tenant.id, unknown.id, "x"))
    assert known.cost_eur == pytest.approx((1000 * 0.1 + 200 * 0.3) / 1_000_000)
    direct = llm_impacts("mistralai", "mistral-small-latest", 200, 8.0, electricity_mix_zone="FRA")
    assert known.kwh == pytest.approx((float(direct.energy.value),) * 2)  # exact params: no range
    assert blind.cost_eur == 0 and blind.carbon() is None
    with session_scope(sessions) as db:
        rows = db.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
        assert rows[0].inputs["footprint"]["method"] == "ecologits.llm_impacts"
        assert rows[1].inputs["footprint"]["method"].startswith("unknown")
        assert rows[1].energy_kwh_min is None


def test_a_failed_call_is_still_in_the_ledger(
    sqlite_url: str, password_hash: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    upgrade(sqlite_url)
    settings = Settings(data_dir=tmp_path, database_url=sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))
    with garbage_server() as base, session_scope(sessions) as db:
        personas = make_personas(db, password_hash)
        db.add(Provider(tenant_id=personas.tenant.id, name="Cassé", kind="openai_compat",
                        base_url=base, models=["broken"]))  # fmt: skip
        db.flush()
        tenant_id, agent = personas.tenant.id, personas["agent"]
        ctx = CallContext(tenant_id, agent.id, agent.service_id, "api", assistant_id="chat")
        db.commit()
        gateway = Gateway(settings, sessions)
        target = gateway.resolve(db, tenant_id, "broken")
        result = CallResult()

        async def run() -> None:
            request = ChatRequest(messages=[ChatMessage("user", "Bonjour")], max_tokens=4)
            async for _ in gateway.stream(ctx, target, request, result):
                pass

        with pytest.raises(ProviderError):
            asyncio.run(run())
    with session_scope(sessions) as db:
        row = db.scalar(select(LedgerEntry))
        assert row is not None and row.event.outcome == "error"
        assert row.event.user_id == agent.id and row.event.assistant_id == "chat"
    assert result.figures is not None


def test_a_footprint_failure_never_loses_the_call(
    sqlite_url: str, password_hash: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(sqlite_url)
    sessions = make_sessionmaker(make_engine(sqlite_url))

    def broken(**_: object) -> None:
        raise RuntimeError("ecologits data missing")

    monkeypatch.setattr("civia.usage.footprint.by_parameters", broken)
    with session_scope(sessions) as db:
        personas = make_personas(db, password_hash)
        local = db.scalar(select(Provider).where(Provider.tenant_id == personas.tenant.id))
        assert local is not None
        event = _event(personas.tenant.id, local.id)
        db.add(event)
        figures = ledger.record(db, event)
    assert figures.carbon() is None and figures.cost_eur == 0
    with session_scope(sessions) as db:
        row = db.scalar(select(LedgerEntry))
        assert row is not None and row.event.completion_tokens == 200
        assert row.inputs["pricing"]["method"].startswith("error")
