import os

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts import manage as accounts
from civia.accounts.models import User
from civia.db.engine import session_scope
from civia.providers import credentials
from civia.providers.models import Provider
from tests.conftest import Personas, login, login_as, page_text


def test_admin_creates_user_and_service(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "admin")
    resp = client.post("/admin/services", data={"name": "Finances"}, headers=headers)
    assert resp.status_code == 200 and "Service créé." in page_text(resp)
    resp = client.post(
        "/admin/utilisateurs",
        data={
            "login": "Zoe",
            "password": "assez-long-mdp",
            "role": "referent",
            "display_name": "Zoé",
        },
        headers=headers,
    )
    assert "Utilisateur créé." in page_text(resp)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        zoe = db.scalar(select(User).where(User.login == "zoe"))
        assert zoe is not None and zoe.role == "referent" and zoe.tenant_id == personas.tenant.id
    login(client, "zoe", "assez-long-mdp")


def test_bad_user_input_gets_french_message(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "admin")
    resp = client.post(
        "/admin/utilisateurs",
        data={"login": "x y", "password": "court", "role": "agent"},
        headers=headers,
    )
    assert resp.status_code == 422
    assert "L'identifiant doit faire" in page_text(resp)
    resp = client.post(
        "/admin/utilisateurs",
        data={"login": "agent", "password": "assez-long-mdp", "role": "agent"},
        headers=headers,
    )
    assert "déjà pris" in page_text(resp)


def test_role_change_logs_the_user_out(client: TestClient, personas: Personas) -> None:
    other = TestClient(client.app)
    login(other, "bob")
    headers = login_as(client, "admin")
    resp = client.post(
        f"/admin/utilisateurs/{personas['bob'].id}",
        data={"role": "referent", "service_id": personas.service_b.id, "active": "true"},
        headers=headers,
    )
    assert "mis à jour" in page_text(resp)
    assert other.get("/", follow_redirects=False).status_code == 303


def test_admin_cannot_demote_self(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "admin")
    resp = client.post(
        f"/admin/utilisateurs/{personas['admin'].id}",
        data={"role": "agent", "active": "true"},
        headers=headers,
    )
    assert "propres droits" in page_text(resp)


def test_provider_key_is_never_displayed(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALBERT_API_KEY", "sk-very-secret-value")
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        cid = credentials.declare(
            db,
            name="albert",
            label="Albert",
            key_env="ALBERT_API_KEY",
            base_urls=["https://albert.example/v1"],
            tenant_slugs=[],
        ).id
    headers = login_as(client, "admin")
    resp = client.post(
        "/admin/fournisseurs",
        data={
            "name": "Albert",
            "kind": "openai_compat",
            "base_url": "https://albert.example/v1",
            "credential_id": str(cid),
            "models": "albert-large\nalbert-small",
            "hosting_class": "fr_sovereign",
            "enabled": "true",
        },
        headers=headers,
    )
    assert "Fournisseur « Albert » enregistré." in page_text(resp)
    assert "sk-very-secret-value" not in resp.text
    assert os.environ["ALBERT_API_KEY"] not in client.get("/admin/fournisseurs").text
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        row = db.scalar(select(Provider).where(Provider.name == "Albert"))
        assert row is not None and row.models == ["albert-large", "albert-small"]
        assert row.hosting_class == "fr_sovereign"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"base_url": "ftp://x", "models": "m"}, "URL de base"),
        ({"base_url": "http://x/v1", "models": ""}, "au moins un modèle"),
        ({"base_url": "http://x/v1", "models": "m", "hosting_class": "mars"}, "hébergement"),
    ],
)
def test_invalid_provider_is_explained(
    client: TestClient, personas: Personas, fields: dict[str, str], message: str
) -> None:
    headers = login_as(client, "admin")
    data = {"name": "Serveur", "kind": "openai_compat", "hosting_class": "eu", **fields}
    resp = client.post("/admin/fournisseurs", data=data, headers=headers)
    assert resp.status_code == 422
    assert message in page_text(resp)


def test_refused_account_keeps_what_was_typed(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "admin")
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        service_id = accounts.create_service(db, tenant=personas.tenant, name="Voirie").id
    resp = client.post(
        "/admin/utilisateurs",
        data={"login": "paul", "display_name": "Paul Durand", "email": "paul@demoville.example",
              "password": "court", "role": "dpo", "service_id": str(service_id)},
        headers=headers,
    )  # fmt: skip
    assert resp.status_code == 422
    text = page_text(resp)
    assert "10 caractères" in text
    assert 'name="login" required value="paul"' in text
    assert 'value="Paul Durand"' in text and 'value="paul@demoville.example"' in text
    assert '<option value="dpo" selected>' in text
    assert f'<option value="{service_id}" selected>Voirie' in text
    assert "court" not in text.split('id="n-pw"')[1].split(">")[0]  # never the password


def test_a_user_without_service_is_not_shown_in_one(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "admin")
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        accounts.create_service(db, tenant=personas.tenant, name="Voirie")
        lone = accounts.create_user(
            db, tenant=personas.tenant, login="sans-service", password="assez-long-mdp"
        )
        lone_id = lone.id
    page = client.get("/admin/utilisateurs")
    row = page.text.split(f'id="svc-{lone_id}"')[1].split("</select>")[0]
    assert '<option value="" selected>Aucun</option>' in row
    saved = client.post(  # saving the row as shown keeps the account without a service
        f"/admin/utilisateurs/{lone_id}",
        data={"role": "agent", "service_id": "", "active": "true"},
        headers=headers,
    )
    assert saved.status_code == 200
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        assert db.get(User, lone_id).service_id is None  # type: ignore[union-attr]
