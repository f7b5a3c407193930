"""A tenant admin cannot make Civia send a server secret to a URL of their choosing: keys are
credentials declared by the operator (source, base URLs, collectivités); the admin picks one."""

from __future__ import annotations

import asyncio

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.chat.gateway import provider_config
from civia.db.engine import session_scope
from civia.providers import credentials
from civia.providers.base import ProviderError
from civia.providers.models import Provider, ProviderCredential
from civia.providers.openai_compat import OpenAICompatible
from civia.providers.registry import ProviderConfig
from civia.providers.secrets import KeySourceRefused, check_base_url
from civia.settings import Settings
from tests.conftest import Personas, login_as, page_text


def _post(client: TestClient, headers: dict[str, str], **fields: str):
    data = {
        "name": "Serveur perso",
        "kind": "openai_compat",
        "base_url": "http://127.0.0.1:9/v1",
        "models": "m",
        "hosting_class": "eu",
        **fields,
    }
    return client.post("/admin/fournisseurs", data=data, headers=headers)


def _saved(client: TestClient) -> list[Provider]:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        return list(db.scalars(select(Provider).where(Provider.name == "Serveur perso")))


def _declare(client: TestClient, **fields: object) -> int:
    values: dict = {
        "name": "albert",
        "label": "Albert (DINUM)",
        "key_env": "ALBERT_KEY",
        "base_urls": ["http://127.0.0.1:9/v1"],
        "tenant_slugs": ["demoville"],
        **fields,
    }
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        return credentials.declare(db, **values).id


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"base_url": "http://169.254.169.254/latest"}, "métadonnées"),
        ({"base_url": "http://[fd00:ec2::254]/v1"}, "métadonnées"),
        ({"base_url": "http://[fe80::1]/v1"}, "locale au lien"),
        ({"base_url": "http://[::ffff:169.254.169.254]/v1"}, "locale au lien"),
        ({"base_url": "http://metadata.google.internal/v1"}, "métadonnées"),
        ({"credential_id": "999"}, "Clé d'accès inconnue"),
    ],
)
def test_admin_cannot_name_a_metadata_address_or_an_unknown_key(
    client: TestClient, personas: Personas, fields: dict[str, str], message: str
) -> None:
    headers = login_as(client, "admin")
    resp = _post(client, headers, **fields)
    assert resp.status_code == 422
    assert message in page_text(resp)
    assert _saved(client) == []


def test_admin_picks_an_operator_credential_and_never_names_a_variable(
    client: TestClient, personas: Personas
) -> None:
    albert = _declare(client)
    other = _declare(
        client, name="mistral", label="Mistral d'Autreville", key_env="MISTRAL_KEY",
        tenant_slugs=["autreville"],
    )  # fmt: skip
    everyone = _declare(
        client, name="commune", label="Clé commune", key_env="", key_file="/etc/civia/k",
        base_urls=["https://albert.example/v1"], tenant_slugs=[],
    )  # fmt: skip
    headers = login_as(client, "admin")
    page_html = client.get("/admin/fournisseurs").text
    page = BeautifulSoup(page_html, "html.parser")
    offered = {o.get_text() for o in page.select("#cred-new-chat option")}
    assert offered == {"Aucune (serveur sans clé)", "Albert (DINUM)", "Clé commune"}
    # No variable, file or other collectivité's key is shown or typed.
    assert "ALBERT_KEY" not in page_html and "/etc/civia/k" not in page_html
    assert "Mistral d'Autreville" not in page_html and "MISTRAL_KEY" not in page_html
    assert page.select("[name=api_key_env]") == [] and page.select("[name=api_key_file]") == []
    resp = _post(client, headers, credential_id=str(other))
    assert resp.status_code == 422 and "pas ouverte à votre collectivité" in page_text(resp)
    resp = _post(client, headers, credential_id=str(everyone))  # URL not the credential's
    assert resp.status_code == 422 and "https://albert.example/v1" in page_text(resp)
    resp = _post(client, headers, credential_id=str(albert), api_key_env="CIVIA_SECRET_KEY")
    assert "enregistré" in page_text(resp)
    [saved] = _saved(client)
    assert saved.credential_id == albert


def test_credentials_are_checked(client: TestClient) -> None:
    for fields, message in [
        ({"key_env": "", "key_file": ""}, "OU un fichier"),
        ({"key_file": "/k"}, "OU un fichier"),
        ({"key_env": "lower"}, "MAJUSCULES"),
        ({"key_env": "", "key_file": "relative/k"}, "chemin absolu"),
        ({"base_urls": []}, "au moins une URL"),
        ({"base_urls": ["ftp://x"]}, "URL de base invalide"),
        ({"name": "A B"}, "minuscules"),
    ]:
        with pytest.raises(KeySourceRefused, match=message):
            _declare(client, **fields)


def test_operator_may_allow_link_local_addresses() -> None:
    check_base_url(
        Settings(provider_allow_link_local=True), "http://169.254.169.254/v1", resolve=True
    )
    check_base_url(Settings(), "http://127.0.0.1:8080/v1", resolve=True)  # local servers stay


def test_a_withdrawn_credential_is_refused_at_call_time(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALBERT_KEY", "sk-albert-secret")
    cid = _declare(client)
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    with session_scope(sessions) as db:
        row = Provider(
            tenant_id=personas.tenant.id,
            name="Albert",
            kind="openai_compat",
            base_url="http://127.0.0.1:9/v1/",
            credential_id=cid,
            models=["m"],
        )
        db.add(row)
        db.flush()
        config = provider_config(row)
        stolen = Provider(
            tenant_id=personas.other_tenant.id, name="Volé", kind="openai_compat",
            base_url="http://127.0.0.1:9/v1", credential_id=cid, models=["m"],
        )  # fmt: skip
        db.add(stolen)
        db.flush()
        foreign = provider_config(stolen)
    assert config.tenant == "demoville" and config.api_key_env == "ALBERT_KEY"
    settings = client.app.state.settings  # type: ignore[attr-defined]
    headers = asyncio.run(OpenAICompatible(config, settings)._headers())
    assert headers["Authorization"] == "Bearer sk-albert-secret"
    # A row of another collectivité pointing at the credential gets no key.
    assert foreign.api_key_env == "" and "pas ouverte" in foreign.key_refused
    with pytest.raises(ProviderError):
        asyncio.run(OpenAICompatible(foreign, settings)._headers())
    with session_scope(sessions) as db:  # the operator withdraws it from Démoville
        cred = db.get(ProviderCredential, cid)
        assert cred is not None
        cred.tenant_slugs = ["autreville"]
    with sessions() as db:
        config = provider_config(db.scalar(select(Provider).where(Provider.name == "Albert")))
    with pytest.raises(ProviderError) as err:
        asyncio.run(OpenAICompatible(config, settings)._headers())
    assert "pas ouverte à votre collectivité" in err.value.message_fr


def test_metadata_address_refused_at_call_time() -> None:
    config = ProviderConfig(
        id=1, name="x", kind="openai_compat", base_url="http://169.254.169.254/v1"
    )
    with pytest.raises(ProviderError) as err:
        asyncio.run(OpenAICompatible(config, Settings())._headers())
    assert "métadonnées" in err.value.message_fr
