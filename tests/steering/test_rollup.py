"""Daily roll-ups change no figure: the dashboard computed from raw calls and from roll-ups plus
today's live calls agree, on SQLite and PostgreSQL; rebuilding is idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.db.migrate import upgrade
from civia.steering import dashboard, rollup
from civia.steering.filters import period
from civia.steering.models import DailyUsage
from civia.usage import rates
from tests.conftest import make_personas
from tests.steering.helpers import NOW, call

SERVICE_A = ("agent", "referent", "comite", "dpo", "pilotage", "admin")
KEYS = ("calls", "prompt_tokens", "completion_tokens", "cost_eur", "energy_kwh", "gwp_min",
        "failures", "active_users_7d", "active_users_30d", "active_users_90d", "users")  # fmt: skip


def _figures(db, tenant_id, **kw):  # type: ignore[no-untyped-def]
    board = dashboard.build(db, period(tenant_id, now=NOW, **kw))
    rows = {r.label: r.figures for r in board.models + board.services + board.assistants}
    rows |= {f"S{i}": {"calls": w["calls"], "users": w["users"]} for i, w in enumerate(board.weeks)}
    rows |= {
        f"signals {name}": {s.title: 1.0 for s in found} for name, found in board.signals.items()
    }
    return {k: board.totals[k] for k in KEYS}, rows


def test_rollups_give_the_same_figures(db_url: str, password_hash: str) -> None:
    rates.clear()
    upgrade(db_url)
    engine = make_engine(db_url)
    with session_scope(make_sessionmaker(engine)) as db:
        p = make_personas(db, password_hash)
        for i, login in enumerate(SERVICE_A):
            for day in (0.1, 2.5, 9.2, 31.0, 45.7):
                call(db, p[login], days_ago=day + i / 10, prompt=100 + i,
                     assistant="courrier" if i % 2 else "chat", outcome="error" if i == 5 else "ok")  # fmt: skip
        call(db, p["bob"], days_ago=3, synthetic=True)
        db.flush()
        tid = p.tenant.id
        before = [_figures(db, tid, days=d) for d in (7, 30, 90)]
        before_a = _figures(db, tid, days=30, service_id=p.service_a.id)
        written = rollup.rebuild(db, tid, today=NOW.date())
        assert written >= 45
        assert rollup.rebuild(db, tid, today=NOW.date()) == rollup.REDO_DAYS  # redone, no more
        assert db.scalar(select(func.count(DailyUsage.id))) > 0
        after = [_figures(db, tid, days=d) for d in (7, 30, 90)]
        for (t1, r1), (t2, r2) in zip(before, after, strict=True):
            assert t1 == pytest.approx(t2) and r1.keys() == r2.keys()
            for label in r1:
                assert r1[label] == pytest.approx(r2[label]), label
        assert _figures(db, tid, days=30, service_id=p.service_a.id)[0] == pytest.approx(
            before_a[0]
        )
        demo = dashboard.build(db, period(tid, now=NOW, days=30, synthetic=True))
        assert demo.totals["calls"] == 1
        # a call arriving late for yesterday is caught by the next run
        call(db, p["agent"], days_ago=1.2)
        db.flush()
        rollup.rebuild(db, tid, today=NOW.date() + timedelta(days=1))
        assert _figures(db, tid, days=30)[0]["calls"] == before[1][0]["calls"] + 1
    engine.dispose()
