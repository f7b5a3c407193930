"""/pilotage in the browser's shoes: roles, menu link, figures, CSV, filters, other tenants."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from civia.accounts.models import Service
from tests.conftest import Personas, login_as, page_text
from tests.steering.helpers import call, run

SERVICE_A = ("agent", "referent", "comite", "dpo", "pilotage", "admin")


def _activity(client: TestClient, personas: Personas) -> None:
    now = datetime.now(UTC)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        for login in SERVICE_A:
            call(db, personas[login], days_ago=1, now=now)
        run(db, personas["agent"], days_ago=1, minutes=90, now=now, rating="useful")
        call(db, personas["carol"], days_ago=1, assistant="secret-autreville", now=now)
        db.commit()


def test_pilotage_sees_the_dashboard_and_its_csv(client: TestClient, personas: Personas) -> None:
    _activity(client, personas)
    login_as(client, "pilotage")
    resp = client.get("/pilotage")
    assert resp.status_code == 200
    text = page_text(resp)
    soup = BeautifulSoup(resp.text, "html.parser")
    assert soup.find("a", href="/pilotage", string="Pilotage")  # the menu link
    key = {row.th.get_text(strip=True): row.td.get_text(" ", strip=True)
           for row in soup.find_all("table")[0].tbody.find_all("tr")}  # fmt: skip
    assert key["Agents actifs (7 / 30 / 90 jours)"].startswith("6 / 6 / 6")
    assert key["Appels aux modèles"].startswith("6 ")
    assert key["Heures gagnées (résultats validés)"].startswith("1,5 h")
    assert "Population" in text and "secret-autreville" not in text
    assert "Données fictives" not in text  # no demo data here
    quality = next(t for t in soup.find_all("table") if t.caption and "Qualité" in t.caption.text)
    cells = [c.get_text(" ", strip=True) for c in quality.tbody.tr.find_all(["th", "td"])]
    assert cells[0] == "Population" and cells[-1].endswith("comptes (0 %)")
    # Urbanisme (bob alone) has no activity; service A has 6 users: shown
    export = client.get("/pilotage/export.csv")
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert rows[1][:3] == ["total", "ensemble", "6"]
    assert rows[2][:2] == ["service", "Population"] and rows[2][2] == "6"
    assert not any("secret-autreville" in cell for row in rows for cell in row)


def test_filters_and_their_errors(client: TestClient, personas: Personas) -> None:
    _activity(client, personas)
    login_as(client, "admin")
    page = page_text(client.get(f"/pilotage?service={personas.service_b.id}"))
    assert "moins de 5 utilisateurs actifs" in page and "Chiffres clés" not in page
    resp = client.get("/pilotage?periode=perso&debut=2026-13-01")
    assert resp.status_code == 422 and "n'est pas valide" in page_text(resp)
    resp = client.get("/pilotage?periode=perso&debut=2026-12-05&fin=2026-12-01")
    assert resp.status_code == 422
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        # a service of another collectivité is refused
        other_service = db.query(Service).filter_by(tenant_id=personas.other_tenant.id).one().id
    assert client.get(f"/pilotage?service={other_service}").status_code == 404


def test_agents_do_not_see_it_and_other_tenants_see_only_theirs(
    client: TestClient, personas: Personas
) -> None:
    _activity(client, personas)
    login_as(client, "agent")
    assert client.get("/pilotage").status_code == 403
    home = BeautifulSoup(client.get("/").text, "html.parser")
    assert home.find("a", href="/pilotage") is None
    client.cookies.clear()
    login_as(client, "olivia")  # Autreville's admin: carol's one call, no Démoville figure
    text = page_text(client.get("/pilotage"))
    assert "Population" not in text
    soup = BeautifulSoup(client.get("/pilotage").text, "html.parser")
    calls = soup.find("th", string="Appels aux modèles").find_next("td").get_text(strip=True)
    assert calls.startswith("1 ")


def test_pilotage_declares_targeted_agents(client: TestClient, personas: Personas) -> None:
    _activity(client, personas)
    headers = login_as(client, "pilotage")
    sid = personas.service_a.id
    resp = client.post("/pilotage/cibles", data={f"cible_{sid}": "20"}, headers=headers,
                       follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303
    soup = BeautifulSoup(client.get(f"/pilotage?service={sid}").text, "html.parser")
    adoption = soup.find("th", string="Adoption (actifs sur 30 jours / agents ciblés)")
    assert adoption.find_next("td").get_text(strip=True).startswith("30 %")  # 6 of 20
    bad = client.post("/pilotage/cibles", data={f"cible_{sid}": "beaucoup"}, headers=headers)
    assert bad.status_code == 422 and "nombre d'agents" in page_text(bad)
