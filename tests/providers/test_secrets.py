"""A tenant admin cannot make Civia send a server secret to a URL of their choosing."""

from __future__ import annotations

import asyncio

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.chat.gateway import provider_config
from civia.providers.base import ProviderError
from civia.providers.models import Provider
from civia.providers.openai_compat import OpenAICompatible
from civia.providers.registry import ProviderConfig
from civia.providers.secrets import allowed_envs, allowed_files, check_base_url
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


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"api_key_env": "CIVIA_DATABASE_URL"}, "CIVIA_DATABASE_URL n'est pas autorisée"),
        ({"api_key_env": "CIVIA_SECRET_KEY"}, "CIVIA_PROVIDER_KEY_ENVS"),
        ({"api_key_file": "/etc/passwd"}, "Le fichier /etc/passwd n'est pas autorisé"),
        ({"base_url": "http://169.254.169.254/latest"}, "métadonnées"),
        ({"base_url": "http://[fd00:ec2::254]/v1"}, "métadonnées"),
        ({"base_url": "http://[fe80::1]/v1"}, "locale au lien"),
        ({"base_url": "http://[::ffff:169.254.169.254]/v1"}, "locale au lien"),
        ({"base_url": "http://metadata.google.internal/v1"}, "métadonnées"),
    ],
)
def test_admin_cannot_name_a_server_secret_or_a_metadata_address(
    client: TestClient, personas: Personas, fields: dict[str, str], message: str
) -> None:
    headers = login_as(client, "admin")
    resp = _post(client, headers, **fields)
    assert resp.status_code == 422
    assert message in page_text(resp)
    assert _saved(client) == []


def test_operator_allow_list_is_offered_and_accepted_per_collectivite(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    monkeypatch.setattr(settings, "provider_key_envs", "ALBERT_KEY, autreville:MISTRAL_KEY")
    monkeypatch.setattr(settings, "provider_key_files", "/etc/civia/albert.key")
    headers = login_as(client, "admin")
    page = BeautifulSoup(client.get("/admin/fournisseurs").text, "html.parser")
    envs = {o["value"] for o in page.select("#env-new-chat option")}
    files = {o["value"] for o in page.select("#file-new-chat option")}
    assert envs == {"", "ALBERT_KEY"}  # autreville's key is not offered to Démoville
    assert files == {"", "/etc/civia/albert.key"}
    assert page.select("input[name=api_key_env]") == []
    resp = _post(client, headers, api_key_env="MISTRAL_KEY")
    assert resp.status_code == 422 and "MISTRAL_KEY n'est pas autorisée" in page_text(resp)
    resp = _post(client, headers, api_key_env="ALBERT_KEY")
    assert "enregistré" in page_text(resp)
    assert [p.api_key_env for p in _saved(client)] == ["ALBERT_KEY"]


def test_operator_may_allow_link_local_addresses() -> None:
    check_base_url(
        Settings(provider_allow_link_local=True), "http://169.254.169.254/v1", resolve=True
    )
    check_base_url(Settings(), "http://127.0.0.1:8080/v1", resolve=True)  # local servers stay


def test_allow_list_syntax() -> None:
    s = Settings(provider_key_envs="A, demoville:B ,autreville:C", provider_key_files="/k, x:/y")
    assert allowed_envs(s, "demoville") == ["A", "B"]
    assert allowed_files(s, "demoville") == ["/k"]
    assert allowed_files(s, "x") == ["/k", "/y"]


def test_a_row_saved_before_the_rule_is_refused_at_call_time(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CIVIA_DATABASE_URL", "postgresql://civia:hunter2@db/civia")
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        row = Provider(
            tenant_id=personas.tenant.id,
            name="Ancien",
            kind="openai_compat",
            base_url="http://127.0.0.1:9/v1",
            api_key_env="CIVIA_DATABASE_URL",
            models=["m"],
        )
        db.add(row)
        db.flush()
        config = provider_config(row)
    assert config.tenant == "demoville"
    settings = client.app.state.settings  # type: ignore[attr-defined]
    chat = OpenAICompatible(config, settings)
    with pytest.raises(ProviderError) as err:
        asyncio.run(chat._headers())
    assert "CIVIA_PROVIDER_KEY_ENVS" in err.value.message_fr
    monkeypatch.setattr(settings, "provider_key_envs", "demoville:CIVIA_DATABASE_URL")
    assert asyncio.run(chat._headers())["Authorization"].endswith("hunter2@db/civia")


def test_metadata_address_refused_at_call_time() -> None:
    config = ProviderConfig(
        id=1, name="x", kind="openai_compat", base_url="http://169.254.169.254/v1"
    )
    with pytest.raises(ProviderError) as err:
        asyncio.run(OpenAICompatible(config, Settings())._headers())
    assert "métadonnées" in err.value.message_fr
