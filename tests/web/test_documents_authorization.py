"""The role × route matrix of the documents pages (collections, uploads, admin index)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from civia.accounts.models import Role
from civia.documents.models import Collection, Scope
from tests.conftest import Personas, login_as

ALL = {r.value for r in Role}
MANAGERS = {"referent", "admin"}
ADMIN = {"admin"}
# (method, path with {cid} = a collectivité-wide collection, allowed roles, form or files)
ROUTES = [
    ("GET", "/documents", ALL, None),
    ("POST", "/documents/collections", ALL, {"name": "Perso", "scope": "personal"}),
    ("POST", "/documents/collections", MANAGERS, {"name": "Commune 2", "scope": "tenant"}),
    ("POST", "/documents/collections", MANAGERS, {"name": "Service 2", "scope": "service"}),
    ("GET", "/documents/collections/{cid}", ALL, None),
    ("POST", "/documents/collections/{cid}/renommer", MANAGERS, {"name": "Renommée"}),
    ("POST", "/documents/collections/{cid}/supprimer", MANAGERS, {"confirm": "oui"}),
    ("POST", "/documents/collections/{cid}/depot", MANAGERS, "files"),
    ("GET", "/conversations/nouvelle?collection={cid}", ALL, None),
    ("GET", "/admin/index", ADMIN, None),
    ("POST", "/admin/index/{cid}/reindexer", ADMIN, None),
]


@pytest.fixture
def cid(client: TestClient, personas: Personas) -> int:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        collection = Collection(
            tenant_id=personas.tenant.id, scope=Scope.TENANT.value, name="Commune"
        )
        db.add(collection)
        db.commit()
        return collection.id


def _call(client: TestClient, method: str, path: str, form: object, headers: dict[str, str]):
    if form == "files":
        return client.post(path, data={"csrf_token": headers.get("X-CSRF-Token", "")},
                           files=[("files", ("a.txt", b"Texte.", "text/plain"))],
                           follow_redirects=False)  # fmt: skip
    return client.request(method, path, data=form, headers=headers, follow_redirects=False)  # type: ignore[arg-type]


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize(("method", "path", "allowed", "form"), ROUTES)
def test_role_route_matrix(client: TestClient, cid: int, role: str, method: str, path: str,
                           allowed: set[str], form: object) -> None:  # fmt: skip
    headers = login_as(client, role)
    resp = _call(client, method, path.format(cid=cid), form, headers)
    if role in allowed:
        assert resp.status_code in (200, 303), (role, path, resp.status_code, resp.text[:300])
    else:
        assert resp.status_code == 403, (role, path, resp.status_code)


@pytest.mark.parametrize(("method", "path", "_allowed", "form"), ROUTES)
def test_anonymous_is_sent_to_login(client: TestClient, cid: int, method: str, path: str,
                                    _allowed: set[str], form: object) -> None:  # fmt: skip
    resp = _call(client, method, path.format(cid=cid), form, {})
    assert resp.status_code == 303 and resp.headers["location"].startswith("/connexion")


def test_state_changes_need_the_csrf_token(client: TestClient, cid: int) -> None:
    login_as(client, "admin")
    for method, path, _allowed, form in ROUTES:
        if method == "POST":
            data = {} if form == "files" else form
            resp = client.post(path.format(cid=cid), data=data, follow_redirects=False)  # type: ignore[arg-type]
            assert resp.status_code == 403, path


def test_other_collectivite_gets_404(client: TestClient, cid: int) -> None:
    headers = login_as(client, "olivia")
    for method, path, _allowed, form in ROUTES:
        if "{cid}" in path:
            resp = _call(client, method, path.format(cid=cid), form, headers)
            assert resp.status_code == 404, (path, resp.status_code)
