"""The role × route matrix: every route checks who may use it."""

import pytest
from fastapi.testclient import TestClient

from civia.accounts.models import Role
from tests.conftest import Personas, login_as, page_text

ALL = {r.value for r in Role}
ADMIN = {"admin"}
ROUTES = [
    ("GET", "/", ALL),
    ("GET", "/conversations/nouvelle", ALL),
    ("GET", "/conversations/liste", ALL),
    ("GET", "/compte/jetons", ALL),
    ("GET", "/reunions", ALL),
    ("GET", "/assistants/extraction-donnees", ALL),
    ("GET", "/assistants/traduction", ALL),
    ("GET", "/assistants/tri-demandes", ALL),
    ("GET", "/assistants/faq", ALL),
    ("GET", "/admin/utilisateurs", ADMIN),
    ("GET", "/admin/services", ADMIN),
    ("GET", "/admin/fournisseurs", ADMIN),
    ("POST", "/admin/services", ADMIN),
    ("POST", "/admin/utilisateurs", ADMIN),
    ("POST", "/admin/fournisseurs", ADMIN),
]
FORMS = {
    "/admin/services": {"name": "Service créé par test"},
    "/admin/utilisateurs": {"login": "nouveau", "password": "un-mot-de-passe", "role": "agent"},
    "/admin/fournisseurs": {"name": "Local 2", "kind": "local_llama", "hosting_class": "local"},
}


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES)
def test_role_route_matrix(
    client: TestClient, personas: Personas, role: str, method: str, path: str, allowed: set[str]
) -> None:
    headers = login_as(client, role)
    resp = client.request(
        method, path, data=FORMS.get(path), headers=headers, follow_redirects=False
    )
    if role in allowed:
        assert resp.status_code in (200, 303), (role, path, resp.status_code)
    else:
        assert resp.status_code == 403, (role, path, resp.status_code)
        assert "droits" in page_text(resp)


@pytest.mark.parametrize(("method", "path", "_allowed"), ROUTES)
def test_anonymous_is_sent_to_login(
    client: TestClient, method: str, path: str, _allowed: set[str]
) -> None:
    resp = client.request(method, path, data=FORMS.get(path), follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"].startswith("/connexion")


def test_admin_cannot_touch_another_tenant(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "olivia")
    page = client.get("/admin/utilisateurs").text
    assert "<td>carol</td>" in page and "<td>referent</td>" not in page
    resp = client.post(
        f"/admin/utilisateurs/{personas['agent'].id}",
        data={"role": "admin", "active": "true"},
        headers=headers,
    )
    assert resp.status_code == 404
