"""The role × route matrix of the governance pages, anonymous access, and tenant isolation."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from civia.accounts.models import Role
from civia.db.engine import session_scope
from civia.governance import fria, incidents, usecases
from civia.governance.usecases import Card
from tests.conftest import Personas
from tests.governance import fria_files
from tests.governance.conftest import add_user, session, sign_in, text_of, user

ALL = {r.value for r in Role}
VIEWERS = {"referent", "comite", "dpo", "pilotage", "admin"}
EDITORS = {"referent", "comite", "dpo", "admin"}
AUDITORS = {"comite", "dpo", "admin"}
RIGHT = {"q1": "b", "q2": "b", "q3": "b", "q4": "b", "q5": "b"}
CASE, INCIDENT, BOB = "{case}", "{incident}", "{bob}"

# (method, path, roles that pass the role check, form). Allowed roles get a page, a redirect
# or a business error (409/422); every other role gets 403.
ROUTES: list[tuple[str, str, set[str], dict[str, str] | None]] = [
    ("GET", "/gouvernance", ALL, None),
    ("GET", "/charte", ALL, None),
    ("POST", "/charte", ALL, {"version": "1"}),
    ("GET", "/formation", ALL, None),
    ("POST", "/formation", ALL, RIGHT),
    ("GET", "/gouvernance/formation", {"admin", "pilotage"}, None),
    ("GET", "/gouvernance/charte", {"admin"}, None),
    ("POST", "/gouvernance/charte", {"admin"}, {"title": "T", "body": "court"}),
    ("GET", "/gouvernance/journal", AUDITORS, None),
    ("GET", "/gouvernance/journal.csv", AUDITORS, None),
    ("GET", "/gouvernance/cas-usage", VIEWERS, None),
    ("GET", "/gouvernance/cas-usage/nouveau", EDITORS, None),
    ("POST", "/gouvernance/cas-usage", EDITORS, {"assistant_id": "faq", "title": "x"}),
    ("GET", f"/gouvernance/cas-usage/{CASE}", VIEWERS, None),
    ("GET", f"/gouvernance/cas-usage/{CASE}/modifier", EDITORS, None),
    ("POST", f"/gouvernance/cas-usage/{CASE}/modifier", {"referent", "admin"}, {"title": "Fiche"}),
    ("POST", f"/gouvernance/cas-usage/{CASE}/commentaire", VIEWERS, {"body": "Vu."}),
    ("POST", f"/gouvernance/cas-usage/{CASE}/vote", {"comite"}, {"choice": "approve"}),
    ("GET", f"/gouvernance/cas-usage/{CASE}/aipd.odt", AUDITORS, None),
    # The card's author (référent), admins and the comité attach; DPO and pilotage read.
    (
        "POST",
        f"/gouvernance/cas-usage/{CASE}/analyse-impact",
        {"referent", "comite", "admin"},
        {"x": "1"},
    ),
    ("GET", f"/gouvernance/cas-usage/{CASE}/analyse-impact/1", VIEWERS, None),
    (
        "POST",
        f"/gouvernance/cas-usage/{CASE}/transition",
        AUDITORS,
        {"action": "suspend", "note": "Essai"},
    ),
    ("POST", "/gouvernance/suspendre", AUDITORS, {"assistant_id": "swot", "reason": "Essai"}),
    ("GET", "/incidents/nouveau", ALL, None),
    ("POST", "/incidents", ALL, {"kind": "error", "description": "court"}),
    ("GET", "/gouvernance/incidents", AUDITORS, None),
    ("GET", f"/gouvernance/incidents/{INCIDENT}", AUDITORS, None),
    ("POST", f"/gouvernance/incidents/{INCIDENT}", {"comite"}, {"status": "investigating"}),
    ("GET", "/compte/mes-donnees", ALL, None),
    ("GET", "/compte/mes-donnees.json", ALL, None),
    ("GET", "/gouvernance/parametres", {"dpo", "admin"}, None),
    ("POST", "/gouvernance/parametres", {"dpo", "admin"}, {"audit_days": "400"}),
    ("GET", "/gouvernance/droits", {"dpo"}, None),
    ("POST", f"/gouvernance/droits/{BOB}/effacer", {"dpo"}, {"confirmation": "non"}),
    ("GET", "/gouvernance/droits/personne-citee", {"dpo"}, None),
    ("POST", "/gouvernance/droits/personne-citee", {"dpo"}, {"nom": "Dupont"}),
    ("POST", "/gouvernance/droits/personne-citee/effacer", {"dpo"}, {"nom": "Dupont"}),
    ("POST", "/gouvernance/droits/personne-citee/acces", {"dpo"}, {"nom": "Dupont"}),
]
PUBLIC = ["/transparence/demoville", "/transparence/demoville.json", "/transparence/demoville.csv"]


def seed(client: TestClient) -> dict[str, str]:
    """A draft card written by the référent and an incident reported by the agent."""
    with session_scope(session(client)) as db:
        card = Card(assistant_id="courrier", title="Courriers", owner_service_id=None)
        case = usecases.create(db, actor=user(db, "referent"), card=card)
        settings = client.app.state.settings  # type: ignore[attr-defined]
        upload = fria.Upload("analyse.pdf", fria_files.pdf())
        fria.attach(
            db, case, actor=user(db, "referent"), upload=upload, data_dir=settings.data_dir,
            max_bytes=settings.fria_max_bytes,
        )  # fmt: skip
        found = incidents.report(
            db, reporter=user(db, "agent"), kind="other", description="Réponse à vérifier."
        )
        return {CASE: str(case.id), INCIDENT: str(found.id), BOB: str(user(db, "bob").id)}


def fill(path: str, ids: dict[str, str]) -> str:
    for key, value in ids.items():
        path = path.replace(key, value)
    return path


@pytest.mark.parametrize("role", sorted(ALL))
def test_role_route_matrix(client: TestClient, personas: Personas, role: str) -> None:
    ids = seed(client)
    headers = sign_in(client, role)
    wrong = []
    for method, path, allowed, form in ROUTES:
        resp = client.request(
            method, fill(path, ids), data=form, headers=headers, follow_redirects=False
        )
        if role in allowed:
            ok = resp.status_code in (200, 303, 409, 422)
        else:
            ok = resp.status_code == 403
        if not ok:
            wrong.append((method, path, resp.status_code))
    assert wrong == [], role


def test_anonymous_is_sent_to_login(client: TestClient) -> None:
    ids = {CASE: "1", INCIDENT: "1", BOB: "1"}
    for method, path, _allowed, form in ROUTES:
        resp = client.request(method, fill(path, ids), data=form, follow_redirects=False)
        assert resp.status_code == 303, (method, path)
        assert resp.headers["location"].startswith("/connexion"), (method, path)


def test_public_pages_need_no_login(client: TestClient, personas: Personas) -> None:
    for path in PUBLIC:
        assert client.get(path).status_code == 200, path


def test_other_tenant_gets_404(client: TestClient, personas: Personas) -> None:
    ids = seed(client)
    other = personas.other_tenant.id
    for login, role in (("cyril", "comite"), ("dora", "dpo")):
        add_user(client, login, role, other)
    for login in ("olivia", "cyril", "dora", "carol"):
        headers = sign_in(client, login)
        for method, path, allowed, form in ROUTES:
            if not any(key in path for key in ids):
                continue
            role = {"olivia": "admin", "cyril": "comite", "dora": "dpo", "carol": "agent"}[login]
            if role not in allowed:
                continue
            resp = client.request(
                method, fill(path, ids), data=form, headers=headers, follow_redirects=False
            )
            assert resp.status_code == 404, (login, method, path, resp.status_code)
    # Lists show nothing of Démoville to Autreville.
    sign_in(client, "olivia")
    assert "Courriers" not in text_of(client.get("/gouvernance/cas-usage"))
    assert "usecase:" not in text_of(client.get("/gouvernance/journal"))
    assert "Réponse à vérifier" not in text_of(client.get("/gouvernance/incidents"))
    sign_in(client, "dora")
    assert "Aucun compte « bob »" in text_of(client.get("/gouvernance/droits?login=bob"))
