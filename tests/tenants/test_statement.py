"""The monthly statement per collectivité and service, for re-billing: CSV in the French
convention and PDF, from the ledger; the operator gets figures of any collectivité, an admin
only their own."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from civia.db.engine import session_scope
from civia.tenants import platform
from civia.usage.models import LedgerEntry, UsageEvent
from tests.conftest import Personas, login_as, page_text

MONTH = datetime.now(UTC).strftime("%Y-%m")


def _call(db, personas: Personas, login: str, eur: float, *, demo: bool = False, **extra) -> None:  # type: ignore[no-untyped-def]
    user = personas[login]
    event = UsageEvent(
        request_id=f"r-{login}-{eur}", tenant_id=user.tenant_id, user_id=user.id,
        service_id=user.service_id, provider_name="p", model="m",
        source="demo" if demo else "web", prompt_tokens=100, completion_tokens=50, outcome="ok",
        **extra,
    )  # fmt: skip
    db.add(event)
    db.add(
        LedgerEntry(
            event=event, tenant_id=user.tenant_id, cost_eur=eur, synthetic=demo,
            energy_kwh_min=0.001, energy_kwh_max=0.002,
            gwp_kgco2eq_min=0.0001, gwp_kgco2eq_max=0.0003,
        )
    )  # fmt: skip


def _rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff") and "\r\n" in text
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_statement_per_service_csv_and_pdf(client: TestClient, personas: Personas) -> None:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        _call(db, personas, "agent", 1.25)
        _call(db, personas, "admin", 0.5)
        _call(db, personas, "bob", 2.0)
        _call(db, personas, "bob", 100.0, demo=True)  # demonstration data: never billed
        _call(db, personas, "carol", 7.0)  # another collectivité
        _call(db, personas, "agent", 9.0, created_at=datetime(2020, 1, 15, tzinfo=UTC))
        platform.create_operator(db, login="ops", password="operator-password-1")
    login_as(client, "admin")
    resp = client.get(f"/admin/quotas/releve/{MONTH}.csv")
    assert resp.status_code == 200
    assert f"releve-demoville-{MONTH}.csv" in resp.headers["content-disposition"]
    rows = _rows(resp.content)
    assert rows[0][:5] == ["Service", "Appels", "Jetons d'entrée", "Jetons de sortie", "Coût (€)"]
    assert rows[1][:5] == ["Population", "2", "200", "100", "1,75"]
    assert rows[2][:5] == ["Urbanisme", "1", "100", "50", "2,00"]
    assert rows[3][0] == "Total" and rows[3][4] == "3,75" and rows[3][5] == "0,0030"
    assert "Autreville" not in resp.text and "Accueil" not in resp.text
    pdf = client.get(f"/admin/quotas/releve/{MONTH}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/admin/quotas/releve/2026-13.csv").status_code == 404
    assert "AAAA-MM" in page_text(client.get("/admin/quotas/releve/mois.csv"))
    assert client.get(f"/admin/quotas/releve/{MONTH}.xls").status_code == 404
    old = _rows(client.get("/admin/quotas/releve/2020-01.csv").content)
    assert old[-1][:2] == ["Total", "1"] and old[-1][4] == "9,00"

    client.cookies.clear()
    login_as(client, "olivia")  # Autreville's admin: her own figures only
    theirs = _rows(client.get(f"/admin/quotas/releve/{MONTH}.csv").content)
    assert [r[0] for r in theirs[1:]] == ["Accueil", "Total"] and theirs[-1][4] == "7,00"

    client.cookies.clear()
    page = client.get("/connexion")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    client.post(
        "/connexion",
        data={"login": "ops", "password": "operator-password-1", "csrf_token": token.group(1)},
    )
    assert (
        f"/plateforme/collectivites/demoville/releve/{MONTH}.csv" in client.get("/plateforme").text
    )
    ops = _rows(client.get(f"/plateforme/collectivites/demoville/releve/{MONTH}.csv").content)
    assert ops == rows
    assert client.get(f"/plateforme/collectivites/inconnue/releve/{MONTH}.csv").status_code == 404
    assert client.get(f"/plateforme/collectivites/plateforme/releve/{MONTH}.csv").status_code == 404
    assert client.get(f"/admin/quotas/releve/{MONTH}.csv").status_code in (403, 404)
