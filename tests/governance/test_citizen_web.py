"""The DPO's erasure of a cited person over HTTP: search, review, redact; rights and CSRF."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.db.engine import session_scope
from civia.governance import incidents
from civia.governance.models import Incident
from tests.conftest import Personas, page_text
from tests.governance.conftest import session, sign_in, text_of, user

PATH = "/gouvernance/droits/personne-citee"
PERSON = {"nom": "Dupont", "prenoms": "Jeanne", "civilite": "madame", "adresse": "12 rue des Lilas"}


def _report(client: TestClient, description: str) -> int:
    with session_scope(session(client)) as db:
        return incidents.report(
            db, reporter=user(db, "agent"), kind="other", description=description
        ).id


def test_dpo_searches_reviews_and_redacts(client: TestClient, personas: Personas) -> None:
    kept = _report(client, "Mme Jeanne Dupont a été citée dans une réponse du modèle.")
    _report(client, "Rien à voir : M. Martin.")
    headers = sign_in(client, "dpo")
    assert "Nom de famille" in text_of(client.get(PATH))
    resp = client.post(PATH, data=PERSON, headers=headers)
    page = text_of(resp)
    assert resp.status_code == 200 and "1 passage(s) trouvé(s)" in page
    assert "Signalements d'incidents (1)" in page and f"Signalement n° {kept}" in page
    assert "[M… J… D…]" in page and "Agent (agent)" in page
    assert "Dupont a été citée" not in page  # the excerpt masks the name
    refs = [f"incidents|incident:{kept}:description"]
    resp = client.post(f"{PATH}/effacer", data={**PERSON, "cle": refs}, headers=headers)
    assert resp.status_code == 200, text_of(resp)[:1200]
    assert "Signalements d'incidents : 1 mention(s) remplacée(s)" in text_of(resp)
    with session_scope(session(client)) as db:
        texts = db.scalars(select(Incident.description).order_by(Incident.id)).all()
    assert texts == [
        "[personne effacée] a été citée dans une réponse du modèle.",
        "Rien à voir : M. Martin.",
    ]
    assert "Aucune mention de cette personne" in text_of(
        client.post(PATH, data=PERSON, headers=headers)
    )


def test_bad_requests_keep_what_was_typed(client: TestClient, personas: Personas) -> None:
    headers = sign_in(client, "dpo")
    resp = client.post(PATH, data={"nom": "D", "prenoms": "Jeanne"}, headers=headers)
    assert resp.status_code == 422 and "nom de famille" in page_text(resp)
    assert 'value="Jeanne"' in resp.text
    resp = client.post(f"{PATH}/effacer", data=PERSON, headers=headers)
    assert resp.status_code == 422 and "Cochez au moins un passage" in page_text(resp)


def test_only_the_dpo_and_only_with_csrf(client: TestClient, personas: Personas) -> None:
    kept = _report(client, "Mme Jeanne Dupont")
    for login in ("agent", "referent", "comite", "pilotage", "admin", "olivia"):
        headers = sign_in(client, login)
        assert client.get(PATH).status_code == 403, login
        assert client.post(PATH, data=PERSON, headers=headers).status_code == 403, login
    sign_in(client, "dpo")  # no CSRF token
    data = {**PERSON, "cle": f"incidents|incident:{kept}:description"}
    assert client.post(f"{PATH}/effacer", data=data).status_code == 403
    with session_scope(session(client)) as db:
        assert db.get(Incident, kept).description == "Mme Jeanne Dupont"  # type: ignore[union-attr]


def test_dpo_answers_an_access_request_with_account_and_mentions(
    client: TestClient, personas: Personas
) -> None:
    import io

    from docx import Document

    from civia.audit.models import AuditEntry

    kept = _report(client, "Mme Jeanne Dupont a été citée dans une réponse du modèle.")
    with session_scope(session(client)) as db:
        account = user(db, "bob")
        account.display_name = "Jeanne Dupont"  # she is also one of the agents
    headers = sign_in(client, "dpo")
    resp = client.post(f"{PATH}/acces", data=PERSON, headers=headers)
    assert resp.status_code == 200
    assert resp.headers["content-disposition"].startswith("attachment")
    doc = Document(io.BytesIO(resp.content))
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "demande d'accès" in body.lower()
    assert "Mme Jeanne Dupont a été citée" in body  # unmasked: it is her own data
    assert f"Signalement n° {kept}" in body
    assert "bob" in cells and "Jeanne Dupont" in cells  # her account
    with session_scope(session(client)) as db:
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "dsr.access"))
        assert entry is not None and entry.details["accounts"] == 1
        assert "Dupont" not in str(entry.details)
    empty = client.post(f"{PATH}/acces", data={"nom": "D"}, headers=headers)
    assert empty.status_code == 422 and "nom de famille" in page_text(empty)
