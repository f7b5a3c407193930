"""/pilotage/tarifs: admins declare prices and parameters; the next calls are priced with them;
bad values get a French message and change nothing; other collectivités' providers are refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.providers.models import Provider
from civia.usage import rates
from civia.usage.models import LedgerEntry, ProviderRate
from tests.conftest import Personas, login_as, page_text
from tests.steering.helpers import call


@pytest.fixture(autouse=True)
def _fresh_rates() -> None:
    rates.clear()


def _provider(client: TestClient, tenant_id: int) -> int:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        return db.scalar(select(Provider.id).where(Provider.tenant_id == tenant_id))


def test_admin_declares_prices_then_calls_are_priced(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "admin")
    assert "Prix du kWh" in page_text(client.get("/pilotage/tarifs"))
    pid = _provider(client, personas.tenant.id)
    form = {"price_in": "2,5", "price_out": "10", "active": "", "total": "", "zone": "fra",
            "ecologits_provider": ""}  # fmt: skip
    resp = client.post(f"/pilotage/tarifs/fournisseurs/{pid}", data=form, headers=headers,
                       follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        row = db.scalar(select(ProviderRate).where(ProviderRate.provider_id == pid))
        assert row is not None and row.eur_per_mtok_input == 2.5 and row.zone == "FRA"
        figures_event = call(db, personas["agent"], days_ago=0, prompt=1000, completion=100,
                             now=datetime.now(UTC))  # fmt: skip
        db.commit()
        entry = db.scalar(select(LedgerEntry).where(LedgerEntry.usage_event_id == figures_event.id))
        assert entry is not None
        assert entry.cost_eur == pytest.approx((1000 * 2.5 + 100 * 10) / 1_000_000)
        assert entry.inputs["pricing"]["method"] == "tokens x price"


def test_bad_values_and_other_tenants(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "admin")
    pid = _provider(client, personas.tenant.id)
    bad = {"price_in": "beaucoup", "price_out": "-1", "zone": "XXX", "ecologits_provider": "z"}
    resp = client.post(f"/pilotage/tarifs/fournisseurs/{pid}", data=bad, headers=headers)
    text = page_text(resp)
    assert resp.status_code == 422 and "n'est pas un nombre" in text and "Zone « XXX »" in text
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.scalar(select(ProviderRate)) is None  # nothing saved
    resp = client.post("/pilotage/tarifs/reglages", headers=headers,
                       data={"eur_per_kwh": "0,2", "pue": "0.5", "wue": "0", "server_power_w": "80"})  # fmt: skip
    assert resp.status_code == 422 and "PUE" in page_text(resp)
    other = _provider(client, personas.other_tenant.id)
    resp = client.post(f"/pilotage/tarifs/fournisseurs/{other}", headers=headers,
                       data={"price_in": "1", "price_out": "1", "zone": "FRA"})  # fmt: skip
    assert resp.status_code == 404
    client.cookies.clear()
    login_as(client, "pilotage")
    assert client.get("/pilotage/tarifs").status_code == 403  # admins only
