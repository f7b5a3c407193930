"""The audit journal pages: filters, integrity check, CSV export, tenant isolation."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import update

from civia.audit import journal as audit
from civia.audit.models import AuditEntry
from civia.db.engine import session_scope
from tests.conftest import Personas, page_text
from tests.governance.conftest import session, sign_in, user


def _seed(client: TestClient, personas: Personas) -> None:
    with session_scope(session(client)) as db:
        audit.record(
            db,
            tenant_id=personas.tenant.id,
            actor=user(db, "admin"),
            action="user.role_changed",
            target="user:1",
            details={"from": "agent", "to": "referent"},
        )
        audit.record(
            db,
            tenant_id=personas.tenant.id,
            actor=user(db, "agent"),
            action="export.downloaded",
            target="resultat:4",
        )
        audit.record(
            db,
            tenant_id=personas.other_tenant.id,
            actor=user(db, "olivia"),
            action="provider.saved",
            target="provider:secret-autreville",
        )


def test_journal_filters(client: TestClient, personas: Personas) -> None:
    _seed(client, personas)
    sign_in(client, "dpo")
    page = page_text(client.get("/gouvernance/journal"))
    assert "Rôle modifié" in page and "resultat:4" in page
    assert "secret-autreville" not in page  # another collectivité's chain
    page = page_text(client.get("/gouvernance/journal", params={"action": "user.role_changed"}))
    assert "user:1" in page and "resultat:4" not in page
    page = page_text(client.get("/gouvernance/journal", params={"login": "agent"}))
    assert "resultat:4" in page and "user:1" not in page
    page = page_text(client.get("/gouvernance/journal", params={"du": "2999-01-01"}))
    assert "Aucune entrée." in page
    bad = client.get("/gouvernance/journal", params={"du": "hier"})
    assert bad.status_code == 422 and "Date invalide" in page_text(bad)


def test_journal_csv_is_filtered_and_audited(client: TestClient, personas: Personas) -> None:
    _seed(client, personas)
    sign_in(client, "comite")
    resp = client.get("/gouvernance/journal.csv", params={"action": "export."})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/csv")
    assert "journal-audit-demoville.csv" in resp.headers["content-disposition"]
    lines = resp.text.strip().splitlines()
    assert lines[0].startswith("\ufeffseq;") and len(lines) == 2 and "resultat:4" in lines[1]
    page = page_text(client.get("/gouvernance/journal", params={"action": "audit.exported"}))
    assert "Journal exporté" in page and "comite" in page


def test_integrity_check_on_the_page(client: TestClient, personas: Personas) -> None:
    _seed(client, personas)
    sign_in(client, "admin")
    assert "Intégrité vérifiée" in page_text(client.get("/gouvernance/journal?verifier=1"))
    with session_scope(session(client)) as db:
        db.execute(update(AuditEntry).where(AuditEntry.seq == 1).values(target="user:2"))
    page = page_text(client.get("/gouvernance/journal?verifier=1"))
    assert "Le journal a été altéré" in page and "n° 1" in page
