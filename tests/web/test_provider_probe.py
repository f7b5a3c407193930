"""« Tester la connexion » on the provider form: the provider is called as typed (a real
llama_cpp.server for the success), nothing is saved, and the result is French beside the form."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.providers.models import Provider
from tests.conftest import Personas, login_as, page_text
from tests.governance.conftest import text_of
from tests.servers import free_port, garbage_server, llama_server

FORM = {"name": "Serveur du SIG", "kind": "openai_compat", "hosting_class": "local",
        "capability": "chat", "enabled": "true"}  # fmt: skip


def _test(client: TestClient, headers: dict[str, str], **fields: str) -> tuple[int, str, str]:
    resp = client.post("/admin/fournisseurs/tester", data={**FORM, **fields}, headers=headers)
    return resp.status_code, text_of(resp), page_text(resp)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with llama_server() as (base, _proc):
        yield base


@pytest.mark.llama_server
def test_a_real_server_answers_with_its_models_and_nothing_is_saved(
    client: TestClient, personas: Personas, server: str
) -> None:
    headers = login_as(client, "admin")
    status, text, html = _test(client, headers, base_url=server, models="qwen-local")
    assert status == 200
    assert (
        "Connexion vérifiée — Connexion réussie en" in text
        and "Modèles servis : qwen-local" in text
    )
    assert "Rien n'a été enregistré par ce test" in text
    assert f'value="{server}"' in html and 'value="Serveur du SIG"' in html  # as typed
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.scalar(select(Provider).where(Provider.name == "Serveur du SIG")) is None

    _, text, _ = _test(client, headers, base_url=server, models="qwen-local\nmistral-large")
    assert "Échec du test de connexion" in text
    assert "« mistral-large » n'est pas servi par ce serveur" in text

    _, text, _ = _test(client, headers, base_url=server.removesuffix("/v1"), models="qwen-local")
    assert "HTTP 404" in text and "se termine-t-elle par /v1" in text


def test_unreachable_broken_and_embedded_providers_are_explained(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "admin")
    nobody = f"http://127.0.0.1:{free_port()}/v1"
    _, text, _ = _test(client, headers, base_url=nobody, models="m")
    assert "Échec du test de connexion" in text and "Connexion impossible" in text
    with garbage_server() as url:  # answers GET with an HTTP error
        _, text, _ = _test(client, headers, base_url=url, models="m")
    assert "erreur HTTP 501" in text
    _, text, _ = _test(client, headers, base_url="ftp://x", models="m")
    assert "URL de base doit commencer par http" in text  # the form's own checks first

    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        local = db.scalar(select(Provider).where(Provider.tenant_id == personas.tenant.id))
        assert local is not None
        local_id = local.id
        other = db.scalar(select(Provider).where(Provider.tenant_id == personas.other_tenant.id))
        assert other is not None
        other_id = other.id
    status, text, html = _test(client, headers, kind="local_llama", name="Modèle local",
                               provider_id=str(local_id))  # fmt: skip
    assert status == 200 and "Moteur intégré à Civia" in text
    assert f'id="test-{local_id}"' in html  # beside that provider's own form
    status, _, _ = _test(client, headers, base_url=nobody, models="m", provider_id=str(other_id))
    assert status == 404  # another collectivité's provider

    headers = login_as(client, "referent")
    resp = client.post("/admin/fournisseurs/tester", data=FORM, headers=headers)
    assert resp.status_code == 403
