"""The role × route matrix of the acts pages, anonymous access, and other tenants' objects."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts.models import Role, User
from civia.documents.acts.forms import import_one, record_from_form
from civia.documents.acts.importer import create_import
from civia.documents.acts.models import Act, ActImport
from tests.conftest import Personas, login_as, page_text
from tests.documents.acts.conftest import BELLECOMBE, DATA

ALL = {r.value for r in Role}
MANAGERS = {"referent", "admin"}
ADMIN = {"admin"}
CSV = (DATA / BELLECOMBE).read_bytes()
ACT = {
    "kind": "arrete", "objet": "Arrêté de circulation", "identifier": "AR-1",
    "act_date": "2025-01-10", "coll_name": "Commune de Démoville", "body": "Article 1 : test.",
}  # fmt: skip
# (method, path, allowed roles, form data, files); {act} and {import} are filled per test.
ROUTES = [
    ("GET", "/actes", ALL, None, None),
    ("GET", "/actes/{act}", ALL, None, None),
    ("POST", "/actes/rediger", ALL, {"ids": "{act}", "cible": "deliberation"}, None),
    ("GET", "/actes/importer", MANAGERS, None, None),
    ("POST", "/actes/importer/scdl", MANAGERS, None, {"fichier": ("a.csv", CSV, "text/csv")}),
    ("POST", "/actes/importer/acte", MANAGERS, {**ACT, "identifier": "AR-2"}, None),
    ("GET", "/actes/imports/{import}", MANAGERS, None, None),
    ("POST", "/actes/{act}/supprimer", MANAGERS, None, None),
    ("GET", "/actes/partage", ADMIN, None, None),
    ("POST", "/actes/partage", ADMIN, {"tous": "oui"}, None),
]


def _seed(client: TestClient, personas: Personas, tenant: str = "tenant") -> tuple[int, int]:
    """One act and one import of the given persona tenant."""
    owner = "referent" if tenant == "tenant" else "olivia"
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        user = db.get(User, personas[owner].id)
        act = import_one(db, user=user, record=record_from_form(ACT, body=ACT["body"]))
        row = create_import(
            db, tenant_id=user.tenant_id, user_id=user.id, filename="a.csv", data=CSV
        )
        db.commit()
        return act.id, row.id


def _fill(value: object, act_id: int, import_id: int) -> object:
    if isinstance(value, str):
        return value.replace("{act}", str(act_id)).replace("{import}", str(import_id))
    if isinstance(value, dict):
        return {k: _fill(v, act_id, import_id) for k, v in value.items()}
    return value


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize(("method", "path", "allowed", "data", "files"), ROUTES)
def test_role_route_matrix(
    client: TestClient,
    personas: Personas,
    role: str,
    method: str,
    path: str,
    allowed: set[str],
    data: dict[str, str] | None,
    files: dict[str, tuple[str, bytes, str]] | None,
) -> None:
    act_id, import_id = _seed(client, personas)
    headers = login_as(client, role)
    resp = client.request(
        method,
        str(_fill(path, act_id, import_id)),
        data=_fill(data, act_id, import_id),  # type: ignore[arg-type]
        files=files,
        headers=headers,
        follow_redirects=False,
    )
    if role in allowed:
        assert resp.status_code in (200, 303), (role, path, resp.status_code)
    else:
        assert resp.status_code == 403, (role, path, resp.status_code)
        assert "droits" in page_text(resp)


@pytest.mark.parametrize(("method", "path", "_allowed", "data", "files"), ROUTES)
def test_anonymous_is_sent_to_login(
    client: TestClient,
    personas: Personas,
    method: str,
    path: str,
    _allowed: set[str],
    data: dict[str, str] | None,
    files: dict[str, tuple[str, bytes, str]] | None,
) -> None:
    resp = client.request(
        method, path.format(act=1, **{"import": 1}), data=data, files=files, follow_redirects=False
    )
    assert resp.status_code == 303 and resp.headers["location"].startswith("/connexion")


def test_another_tenants_acts_and_imports_are_404(client: TestClient, personas: Personas) -> None:
    act_id, import_id = _seed(client, personas, tenant="other")
    headers = login_as(client, "admin")  # admin of Démoville, not of Autreville
    for method, path, data in (
        ("GET", f"/actes/{act_id}", None),
        ("GET", f"/actes/imports/{import_id}", None),
        ("POST", f"/actes/{act_id}/supprimer", None),
        ("POST", "/actes/rediger", {"ids": str(act_id), "cible": "arrete"}),
    ):
        resp = client.request(method, path, data=data, headers=headers)
        assert resp.status_code == 404, (method, path)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.scalar(select(Act.id).where(Act.id == act_id)) == act_id
        assert db.get(ActImport, import_id) is not None
