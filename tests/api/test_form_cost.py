"""A form assistant's cost and footprint through the API: the ledger rows of every call its
request made, summed (no model needed: the calls are written as the gateway writes them)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from civia.api.openai import request_figures
from civia.db.engine import make_engine, make_sessionmaker, session_scope
from civia.db.migrate import upgrade
from civia.usage import rates
from civia.usage.models import LedgerEntry, UsageEvent
from tests.conftest import make_personas
from tests.steering.helpers import call


def test_every_call_of_the_request_is_summed(db_url: str, password_hash: str) -> None:
    rates.clear()
    upgrade(db_url)
    engine = make_engine(db_url)
    with session_scope(make_sessionmaker(engine)) as db:
        p = make_personas(db, password_hash)
        mine = [call(db, p["agent"], days_ago=0, prompt=900), call(db, p["agent"], days_ago=0)]
        for event in mine:
            event.request_id = "form-1"
        call(db, p["agent"], days_ago=0).request_id = "other"
        call(db, p["carol"], days_ago=0).request_id = "form-1"  # another collectivité
        db.flush()
        found = request_figures(db, p.tenant.id, "form-1")
        assert found is not None and found.kwh is not None and found.kgco2eq is not None
        ids = [e.id for e in mine]
        expected = db.execute(
            select(
                func.sum(LedgerEntry.cost_eur),
                func.sum(LedgerEntry.energy_kwh_max),
                func.sum(LedgerEntry.gwp_kgco2eq_min),
            ).where(LedgerEntry.usage_event_id.in_(ids))
        ).one()
        assert found.cost_eur == pytest.approx(expected[0])
        assert found.kwh[1] == pytest.approx(expected[1]) and found.kwh[1] > 0
        assert found.kgco2eq[0] == pytest.approx(expected[2])
        assert request_figures(db, p.tenant.id, "nothing") is None
        # One call without its footprint: no partial sum of the footprint, the cost stays.
        row = db.scalar(select(LedgerEntry).where(LedgerEntry.usage_event_id == ids[0]))
        row.energy_kwh_min = row.energy_kwh_max = None
        db.flush()
        partial = request_figures(db, p.tenant.id, "form-1")
        assert partial is not None and partial.kwh is None and partial.cost_eur >= 0
        assert db.scalar(select(func.count(UsageEvent.id))) == 4
    engine.dispose()
