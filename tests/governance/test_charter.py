"""The AI charter: versions, acceptances, the /charte page and the gate that enforces it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.audit.models import AuditEntry
from civia.db.engine import session_scope
from civia.governance import charter
from civia.governance.models import CharterAcceptance, CharterVersion
from civia.web.deps import CurrentUser
from tests.conftest import Personas, page_text
from tests.governance.conftest import session, sign_in, text_of, user


def test_versions_and_acceptances(db: Session, people: Personas) -> None:
    agent, admin = user(db, "agent"), user(db, "admin")
    assert charter.needs_acceptance(db, agent)
    text = charter.current(db, people.tenant.id)
    assert text.version == 1 and "CNIL" in text.body and "Usages interdits" in text.body
    charter.accept(db, agent, version=1)
    charter.accept(db, agent, version=1)  # a double click records once
    db.commit()
    assert not charter.needs_acceptance(db, agent)
    assert db.scalar(select(func.count(CharterVersion.id))) == 1  # the default is now stored
    assert (
        db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "charter.accepted"))
        == 1
    )
    assert charter.acceptance_counts(db, people.tenant.id) == (1, 7)

    row = charter.publish(db, author=admin, title="Charte v2", body="Nouvelle règle. " * 10)
    db.commit()
    assert row.version == 2 and [v.version for v in charter.history(db, people.tenant.id)] == [2, 1]
    assert charter.needs_acceptance(db, agent)
    with pytest.raises(charter.CharterError, match="mise à jour"):
        charter.accept(db, agent, version=1)  # the page they read is stale
    charter.accept(db, agent, version=2)
    db.commit()
    assert not charter.needs_acceptance(db, agent)
    assert charter.accepted_version(db, agent) == 2
    # Another collectivité has its own charter.
    carol = user(db, "carol")
    assert charter.needs_acceptance(db, carol) and charter.current(db, carol.tenant_id).version == 1


def test_publish_validation(db: Session, people: Personas) -> None:
    admin = user(db, "admin")
    with pytest.raises(charter.CharterError, match="trop court"):
        charter.publish(db, author=admin, title="Charte", body="court")
    default = charter.current(db, people.tenant.id)
    with pytest.raises(charter.CharterError, match="pas changé"):
        charter.publish(db, author=admin, title=default.title, body=default.body)
    assert db.scalar(select(func.count(CharterAcceptance.id))) == 0


def test_page_accept_and_gate(client: TestClient, personas: Personas) -> None:
    app = client.app

    # The exact wiring for the rest of Civia: the route's policy.
    @app.get("/essai-protege")  # type: ignore[attr-defined]
    def protected(user: CurrentUser) -> dict[str, str]:
        return {"ok": "oui"}

    headers = sign_in(client, "admin")
    resp = client.post(
        "/gouvernance/charte",
        data={"title": "Charte IA de Démoville", "body": "Règle : toujours relire. " * 5},
        headers=headers,
        follow_redirects=False,
    )
    assert resp.status_code == 303 and "Version%202" in resp.headers["location"]

    headers = sign_in(client, "agent")
    resp = client.get("/essai-protege", follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == "/charte?suivant=/essai-protege"
    resp = client.get("/incidents/nouveau", follow_redirects=False)  # a governance page, gated
    assert resp.headers["location"].startswith("/charte")
    api = client.get("/essai-protege", headers={"accept": "application/json"})
    assert api.status_code == 403 and "charte" in api.json()["detail"]

    page = page_text(client.get("/charte?suivant=/essai-protege"))
    assert "Charte IA de Démoville" in page and "toujours relire" in page
    assert "La charte a changé" in page and 'name="version" value="2"' in page
    assert client.post("/charte", data={"version": "2"}).status_code == 403  # no CSRF token
    resp = client.post(
        "/charte",
        data={"version": "2", "suivant": "/essai-protege", "csrf_token": headers["X-CSRF-Token"]},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and resp.headers["location"] == "/essai-protege"
    assert client.get("/essai-protege").json() == {"ok": "oui"}
    assert "Vous avez accepté cette version" in page_text(client.get("/charte"))
    # An open redirect through `suivant` is refused.
    resp = client.post(
        "/charte",
        data={"version": "2", "suivant": "//evil.example", "csrf_token": headers["X-CSRF-Token"]},
        follow_redirects=False,
    )
    assert resp.headers["location"] == "/"


def test_stale_acceptance_and_edit_errors(client: TestClient, personas: Personas) -> None:
    headers = sign_in(client, "agent")
    resp = client.post("/charte", data={"version": "7"}, headers=headers)
    assert resp.status_code == 409 and "relisez la nouvelle version" in page_text(resp)
    headers = sign_in(client, "admin")
    resp = client.post("/gouvernance/charte", data={"title": "T", "body": "x"}, headers=headers)
    assert resp.status_code == 422 and "entre 3 et 200" in page_text(resp)
    page = text_of(client.get("/gouvernance/charte"))
    assert "Acceptée par 7 utilisateur(s) actif(s) sur 7" in page
    with session_scope(session(client)) as db:
        assert charter.current(db, personas.tenant.id).version == 1
