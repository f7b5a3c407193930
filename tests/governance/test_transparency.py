"""The public transparency page and its open data: only approved, piloted and generalised use
cases, nothing personal, no login."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from civia.accounts.models import Tenant
from civia.db.base import utcnow
from civia.db.engine import session_scope
from civia.governance import transparency, usecases
from civia.governance.models import GovernanceSettings, UseCase
from tests.conftest import Personas
from tests.governance.conftest import session, text_of

STATES = {
    "courrier": "approved",
    "traduction": "pilot",
    "reformulation": "generalised",
    "faq": "draft",
    "swot": "in_review",
    "correction": "suspended",
    "tri-demandes": "rejected",
}


def seed(db: Session, people: Personas) -> None:
    for assistant_id, status in STATES.items():
        db.add(
            UseCase(
                tenant_id=people.tenant.id,
                assistant_id=assistant_id,
                title=f"Usage {assistant_id}",
                purpose=f"Finalité {assistant_id}",
                human_oversight="Relecture par un agent.",
                overseers="Marie Secrète",
                risk_class="transparency" if assistant_id == "faq" else "minimal",
                hosting_class="fr_sovereign",
                status=status,
                decided_at=utcnow(),
            )
        )
    db.add(
        UseCase(
            tenant_id=people.other_tenant.id,
            assistant_id="courrier",
            title="Usage d'Autreville",
            status="approved",
        )
    )
    db.flush()


def test_only_public_cases_in_the_open_data(db: Session, people: Personas) -> None:
    seed(db, people)
    db.commit()
    tenant = db.get(Tenant, people.tenant.id)
    assert tenant is not None
    rows = transparency.rows(db, tenant)
    assert [r["titre"] for r in rows] == [
        "Usage courrier",
        "Usage reformulation",
        "Usage traduction",
    ]
    assert rows[0]["hebergement_du_modele"] == "Souverain français"
    assert rows[0]["classe_de_risque"] == usecases.RISK_LABELS[usecases.RiskClass.MINIMAL]
    data = transparency.as_json(db, tenant)
    assert data["collectivite"] == "Commune de Démoville" and len(data["cas_d_usage"]) == 3
    assert "Marie Secrète" not in str(data)
    assert data["contact_pour_contester"] == ""
    db.add(GovernanceSettings(tenant_id=tenant.id, contact="mediation-ia@demoville.example"))
    db.commit()
    assert transparency.contact(db, tenant) == "mediation-ia@demoville.example"
    parsed = list(csv.DictReader(io.StringIO(transparency.as_csv(db, tenant))))
    assert [r["statut"] for r in parsed] == ["Approuvé", "Généralisé", "En pilote"]
    assert tuple(parsed[0]) == transparency.COLUMNS


def test_public_pages_without_login(client: TestClient, personas: Personas) -> None:
    with session_scope(session(client)) as db:
        seed(db, personas)
    page = text_of(client.get("/transparence/demoville"))
    assert "Usage de l'intelligence artificielle — Commune de Démoville" in page
    assert "Usage courrier" in page and "Usage faq" not in page and "Usage correction" not in page
    assert "Usage d'Autreville" not in page and "Marie Secrète" not in page
    assert "Contester une réponse rédigée avec l'aide de l'IA" in page and "L311-3-1" in page
    assert "Se déconnecter" not in page  # no session: the public layout
    resp = client.get("/transparence/demoville.json")
    assert resp.status_code == 200 and resp.headers["access-control-allow-origin"] == "*"
    assert resp.json()["cas_d_usage"][0]["titre"] == "Usage courrier"
    resp = client.get("/transparence/demoville.csv")
    assert resp.headers["content-type"].startswith("text/csv")
    assert resp.text.splitlines()[0] == ",".join(transparency.COLUMNS)
    assert len(resp.text.strip().splitlines()) == 4
    other = client.get("/transparence/autreville.json").json()
    assert [c["titre"] for c in other["cas_d_usage"]] == ["Usage d'Autreville"]
    for path in (
        "/transparence/nulle-part",
        "/transparence/nulle-part.json",
        "/transparence/nulle-part.csv",
    ):
        assert client.get(path).status_code == 404
