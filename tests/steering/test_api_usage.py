"""Two real calls to /v1/chat/completions: usage.cost and usage.carbon as OpenGateLLM returns
them (streaming: on the last chunk), the same figures in the ledger and in
`civia steering summary`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.cli import main
from civia.settings import get_settings
from civia.usage.models import LedgerEntry
from tests.conftest import Personas


@pytest.mark.model
def test_usage_carries_cost_and_carbon(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        user = db.scalar(select(User).where(User.login == "agent"))
        token, _ = api_tokens.create(db, user=user, name="test")
        db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    body = {"messages": [{"role": "user", "content": "Dis bonjour."}], "max_tokens": 4}
    usage = client.post("/v1/chat/completions", json=body, headers=headers).json()["usage"]
    assert usage["completion_tokens"] == 4 and usage["cost"] > 0
    carbon = usage["carbon"]
    assert set(carbon) == {"kWh", "kgCO2eq"}
    assert 0 < carbon["kWh"]["min"] <= carbon["kWh"]["max"]
    assert 0 < carbon["kgCO2eq"]["min"] <= carbon["kgCO2eq"]["max"]
    resp = client.post("/v1/chat/completions", json=body | {"stream": True}, headers=headers)
    chunks = [json.loads(line[6:]) for line in resp.text.splitlines()
              if line.startswith("data: {")]  # fmt: skip
    last = chunks[-1]
    assert last["choices"][0]["finish_reason"] and last["usage"]["carbon"]["kWh"]["max"] > 0
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        rows = db.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
        assert len(rows) == 2
        assert rows[0].cost_eur == pytest.approx(usage["cost"])
        assert rows[0].energy_kwh_max == pytest.approx(carbon["kWh"]["max"])
        assert rows[0].event.source == "api" and rows[0].event.user_id == personas["agent"].id
    # the command line sees both calls, made a second ago
    settings = client.app.state.settings  # type: ignore[attr-defined]
    monkeypatch.setenv("CIVIA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CIVIA_DATABASE_URL", settings.db_url)
    get_settings.cache_clear()
    try:
        out = CliRunner().invoke(main, ["steering", "summary", "--tenant", "demoville", "--json"])
    finally:
        get_settings.cache_clear()
    assert out.exit_code == 0, out.output
    figures = json.loads(out.output)
    assert figures["calls"] == 2 and figures["completion_tokens"] == 8
    assert figures["cost_eur"] == pytest.approx(sum(r.cost_eur for r in rows))
    assert figures["active_users_7d"] == 1
