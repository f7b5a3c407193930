"""The register and review in the browser: forms, refusals (audited), DPO drafts, kill switch."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.audit import journal as audit
from civia.audit.models import AuditEntry
from civia.db.engine import session_scope
from civia.governance import usecases
from civia.governance.models import UseCase
from tests.conftest import Personas, page_text
from tests.governance.conftest import add_user, session, sign_in, text_of

CARD = {
    "assistant_id": "courrier",
    "title": "Courriers aux usagers",
    "purpose": "Premier jet des réponses aux usagers.",
    "users_description": "Agents de l'accueil.",
    "data_categories": ["identification"],
    "hosting_class": "fr_sovereign",
    "human_oversight": "Relu et signé par un agent.",
    "overseers": "Marie Exemple",
    "expected_benefit": "30 minutes par courrier.",
    "risk_class": "minimal",
}


def _post(client: TestClient, path: str, headers: dict[str, str], **data: object):  # type: ignore[no-untyped-def]
    return client.post(path, data=data, headers=headers, follow_redirects=False)


def _create(client: TestClient, personas: Personas, **overrides: object) -> int:
    headers = sign_in(client, "referent")
    data = {**CARD, "owner_service_id": str(personas.service_a.id), **overrides}
    resp = _post(client, "/gouvernance/cas-usage", headers, **data)
    assert resp.status_code == 303, page_text(resp)
    return int(resp.headers["location"].split("/")[-1].split("?")[0])


def _refusals(client: TestClient) -> list[dict[str, str]]:
    with session_scope(session(client)) as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.action == "usecase.refused"))
        names = audit.logins(db, rows := list(rows))
        return [{"login": audit.shown_login(e, names), **e.details} for e in rows]


def test_review_flow_in_the_browser(any_db_client: tuple[TestClient, Personas]) -> None:
    client, personas = any_db_client
    case_id = _create(client, personas)
    path = f"/gouvernance/cas-usage/{case_id}"
    headers = sign_in(client, "referent")
    page = text_of(client.get(path))
    assert "Brouillon" in page and "Soumettre au comité" in page and "Approuver" not in page
    assert _post(client, f"{path}/transition", headers, action="submit").status_code == 303

    headers = sign_in(client, "comite")
    assert _post(client, f"{path}/transition", headers, action="review").status_code == 303
    resp = _post(client, f"{path}/transition", headers, action="approve")
    assert resp.status_code == 409 and "votes favorables" in page_text(resp)
    resp = _post(client, f"{path}/vote", headers, choice="approve", comment="Favorable.")
    assert resp.status_code == 303
    page = text_of(client.get(path))
    assert "Favorable : 1" in page and "Comite : Favorable — Favorable." in page
    resp = _post(client, f"{path}/transition", headers, action="approve", note="Accord.")
    assert resp.status_code == 303 and "Approuv" in resp.headers["location"]
    _post(client, f"{path}/commentaire", headers, body="Revoir dans 3 mois.")
    page = text_of(client.get(path))
    assert "Approuvé" in page and "Revoir dans 3 mois." in page and "Lancer le pilote" in page
    assert "Cas d'usage : changement d'état : Approuvé — comite" in page

    headers = sign_in(client, "dpo")
    resp = _post(client, f"{path}/transition", headers, action="suspend", note="Incident.")
    assert resp.status_code == 303
    with session_scope(session(client)) as db:
        assert usecases.is_suspended(db, personas.tenant.id, "courrier")
    assert "Assistant suspendu" in text_of(client.get(path))
    assert [r["reason"] for r in _refusals(client)] == ["votes"]


def test_self_approval_and_forged_votes_are_refused_and_audited(
    client: TestClient, personas: Personas
) -> None:
    add_user(client, "comite2", "comite", personas.tenant.id)
    headers = sign_in(client, "comite")
    resp = _post(client, "/gouvernance/cas-usage", headers, **CARD)
    case_id = int(resp.headers["location"].split("/")[-1].split("?")[0])
    path = f"/gouvernance/cas-usage/{case_id}"
    _post(client, f"{path}/modifier", headers, **CARD, owner_service_id=personas.service_a.id)
    assert _post(client, f"{path}/transition", headers, action="submit").status_code == 303
    resp = _post(client, f"{path}/transition", headers, action="review")
    assert resp.status_code == 403 and "un autre membre du comité" in page_text(resp)
    headers2 = sign_in(client, "comite2")
    assert _post(client, f"{path}/transition", headers2, action="review").status_code == 303
    headers = sign_in(client, "comite")
    resp = _post(client, f"{path}/vote", headers, choice="approve")
    assert resp.status_code == 403 and "que vous avez rédigé" in page_text(resp)
    for login in ("dpo", "agent"):
        resp = _post(client, f"{path}/vote", sign_in(client, login), choice="approve")
        assert resp.status_code == 403 and "Seuls les membres du comité" in page_text(resp)
    resp = _post(client, f"{path}/vote", sign_in(client, "carol"), choice="approve")
    assert resp.status_code == 404  # another collectivité's case does not exist for carol
    resp = client.post(f"{path}/vote", data={"choice": "approve"})  # no CSRF token
    assert resp.status_code == 403
    refused = _refusals(client)
    assert [(r["login"], r["attempted"], r["reason"]) for r in refused] == [
        ("comite", "review", "own_case"),
        ("comite", "vote", "own_case"),
        ("dpo", "vote", "role"),
        ("agent", "vote", "role"),
    ]
    with session_scope(session(client)) as db:
        case = db.get(UseCase, case_id)
        assert case is not None and case.status == "in_review"
        assert usecases.votes_tally(db, case) == {}


def test_form_errors_edit_and_quick_suspend(client: TestClient, personas: Personas) -> None:
    headers = sign_in(client, "referent")
    resp = _post(
        client,
        "/gouvernance/cas-usage",
        headers,
        **{**CARD, "title": "x", "retention_days": "trente"},
    )
    page = page_text(resp)
    assert resp.status_code == 422 and "Indiquez un nombre entier" in page
    resp = _post(client, "/gouvernance/cas-usage", headers, **{**CARD, "title": "x"})
    assert resp.status_code == 422 and "entre 3 et 200" in page_text(resp)
    assert 'value="Premier jet des réponses aux usagers."' not in page  # textarea keeps it
    assert "Premier jet des réponses aux usagers." in page
    case_id = _create(client, personas)
    headers = sign_in(client, "referent")
    page = text_of(client.get(f"/gouvernance/cas-usage/{case_id}/modifier"))
    assert "Modifier la fiche « Courriers aux usagers »" in page
    resp = _post(
        client,
        f"/gouvernance/cas-usage/{case_id}/modifier",
        headers,
        **{**CARD, "title": "Courriers (v2)", "owner_service_id": personas.service_a.id},
    )
    assert resp.status_code == 303
    assert "Courriers (v2)" in text_of(client.get("/gouvernance/cas-usage"))

    headers = sign_in(client, "admin")
    resp = _post(
        client,
        "/gouvernance/suspendre",
        headers,
        assistant_id="traduction",
        reason="Traductions juridiques fausses.",
    )
    assert resp.status_code == 303
    resp = _post(client, "/gouvernance/suspendre", headers, assistant_id="traduction", reason="x")
    assert resp.status_code == 409 and "déjà suspendu" in page_text(resp)
    assert "Suspendu (1)" in text_of(client.get("/gouvernance/cas-usage"))
    with session_scope(session(client)) as db:
        assert usecases.is_suspended(db, personas.tenant.id, "traduction")
        assert not usecases.is_suspended(db, personas.other_tenant.id, "traduction")


def test_dpo_drafts_download(client: TestClient, personas: Personas) -> None:
    case_id = _create(client, personas)
    sign_in(client, "dpo")
    for kind in ("registre", "aipd"):
        resp = client.get(f"/gouvernance/cas-usage/{case_id}/{kind}.odt")
        assert resp.status_code == 200
        assert resp.headers["content-type"] == "application/vnd.oasis.opendocument.text"
    resp = client.get(f"/gouvernance/cas-usage/{case_id}/registre.docx")
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
    assert client.get(f"/gouvernance/cas-usage/{case_id}/registre.pdf").status_code == 404
    assert client.get(f"/gouvernance/cas-usage/{case_id}/secret.docx").status_code == 404
    page = text_of(client.get("/gouvernance/journal", params={"action": "export.downloaded"}))
    assert page.count("usecase:") == 3
    sign_in(client, "referent")
    assert client.get(f"/gouvernance/cas-usage/{case_id}/registre.docx").status_code == 403
