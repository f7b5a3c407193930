"""The dashboard's figures recomputed from known rows, on SQLite and PostgreSQL; small groups
hidden; other collectivités and demo data never counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.db.migrate import upgrade
from civia.steering import dashboard
from civia.steering.filters import period
from civia.usage import rates
from civia.usage.models import LedgerEntry, UsageEvent
from tests.conftest import make_personas
from tests.steering.helpers import NOW, call, run

SERVICE_A = ("agent", "referent", "comite", "dpo", "pilotage", "admin")


@pytest.fixture(autouse=True)
def _fresh_rates() -> None:
    rates.clear()


def test_figures_from_known_rows(db_url: str, password_hash: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    with session_scope(make_sessionmaker(engine)) as db:
        p = make_personas(db, password_hash)
        for i, login in enumerate(SERVICE_A):  # 6 agents of service A, one call each
            call(db, p[login], days_ago=i * 5, prompt=100 + i, completion=10)
        call(db, p["bob"], days_ago=1, outcome="error")  # service B: one person
        call(db, p["agent"], days_ago=45)  # outside the 30 days
        call(db, p["carol"], days_ago=1, prompt=10_000)  # another collectivité
        call(db, p["agent"], days_ago=2, synthetic=True)  # demo data: never mixed
        run(db, p["agent"], days_ago=3, minutes=20, rating="useful")
        run(db, p["referent"], days_ago=4, minutes=40, rating="not_useful")
        run(db, p["comite"], days_ago=5, validated=False, minutes=30)  # not validated: no time
        run(db, p["carol"], days_ago=1, minutes=600)
        db.flush()
        f = period(p.tenant.id, days=30, now=NOW)
        board = dashboard.build(db, f)
        expected_cost = db.scalar(
            select(func.sum(LedgerEntry.cost_eur))
            .join(UsageEvent, UsageEvent.id == LedgerEntry.usage_event_id)
            .where(
                LedgerEntry.tenant_id == p.tenant.id,
                LedgerEntry.synthetic.is_(False),
                UsageEvent.created_at >= NOW - timedelta(days=30),
            )
        )
        tenant_id, service_a, service_b = p.tenant.id, p.service_a.id, p.service_b.id
        t = board.summary()
        # 6 calls of service A (days 0..25) + bob's failed call
        assert t["calls"] == 7 and t["failures"] == 1
        assert t["prompt_tokens"] == sum(100 + i for i in range(6)) + 100
        assert t["completion_tokens"] == 6 * 10 + 50
        assert t["active_users_7d"] == 3  # agent (day 0), referent (day 5), bob (day 1)
        assert t["active_users_30d"] == 7 and t["active_users_90d"] == 7
        assert t["hours_saved"] == pytest.approx(1.0)  # 20 + 40 validated minutes
        assert t["validated_results"] == 2 and t["useful"] == 1 and t["not_useful"] == 1
        assert t["cost_eur"] > 0 and t["energy_kwh"] > 0 and t["gwp_kgco2eq"] > 0
        assert t["cost_eur"] == pytest.approx(expected_cost)  # the 45-day-old call is left out
        rows = {r.key: r for r in board.services}
        assert not rows[service_a].hidden and rows[service_a].figures["users"] == 6
        assert rows[service_a].figures["accounts"] == 6
        assert rows[service_b].hidden  # one person: figures hidden
        models = board.models
        assert len(models) == 1 and models[0].figures["calls"] == 7
        # a service filter below 5 active users hides the whole page
        assert dashboard.build(db, period(tenant_id, days=30, now=NOW, service_id=service_b)).hidden
        only_a = dashboard.build(db, period(tenant_id, days=30, now=NOW, service_id=service_a))
        assert not only_a.hidden and only_a.totals["calls"] == 6
        demo = dashboard.build(db, period(tenant_id, days=30, now=NOW, synthetic=True))
        assert demo.totals["calls"] == 1 and demo.totals["validated_results"] == 0
    engine.dispose()


def test_quality_block_per_service(db_url: str, password_hash: str) -> None:
    from civia.governance.acculturation import MODULE
    from civia.governance.models import Incident, TrainingCompletion

    upgrade(db_url)
    engine = make_engine(db_url)
    with session_scope(make_sessionmaker(engine)) as db:
        p = make_personas(db, password_hash)
        for login in SERVICE_A:
            call(db, p[login], days_ago=1)
        call(db, p["bob"], days_ago=1)  # service B: one person, hidden
        run(db, p["agent"], days_ago=3, rating="useful")
        run(db, p["referent"], days_ago=4, rating="useful")
        run(db, p["comite"], days_ago=5, validated=False, rating="not_useful")
        run(db, p["dpo"], days_ago=40, rating="not_useful")  # outside the 30 days
        run(db, p["bob"], days_ago=2, rating="not_useful")
        for login, days in (("agent", 2), ("referent", 3), ("bob", 1), ("agent", 50)):
            db.add(Incident(tenant_id=p.tenant.id, reporter_id=p[login].id, kind="erreur",
                            description="Réponse fausse.", created_at=NOW - timedelta(days=days)))  # fmt: skip
        db.add(Incident(tenant_id=p.other_tenant.id, reporter_id=p["carol"].id, kind="erreur",
                        description="Ailleurs.", created_at=NOW - timedelta(days=1)))  # fmt: skip
        for login in ("agent", "dpo", "bob", "carol"):
            db.add(TrainingCompletion(tenant_id=p[login].tenant_id, user_id=p[login].id,
                                      module=MODULE))  # fmt: skip
        db.add(TrainingCompletion(tenant_id=p.tenant.id, user_id=p["admin"].id, module="ancien"))
        db.flush()
        board = dashboard.build(db, period(p.tenant.id, days=30, now=NOW))
        rows = {q.label: q for q in board.quality}
        a, b = rows["Population"], rows["Urbanisme"]
        assert not a.hidden and b.hidden
        assert (a.runs, a.validated, a.useful, a.not_useful) == (3, 2, 2, 1)
        assert round(a.validation_rate or 0) == 67 and round(a.useful_rate or 0) == 67
        assert a.incidents == 2 and (a.trained, a.accounts) == (2, 6)
        assert (b.incidents, b.trained, b.accounts) == (1, 1, 1)
        total = board.quality_total
        assert total is not None
        assert (total.runs, total.validated, total.incidents, total.trained, total.accounts) == (
            4, 3, 3, 3, 7,
        )  # fmt: skip
    engine.dispose()
