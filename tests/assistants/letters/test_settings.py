"""Admins set the closing formula per kind of recipient; every courrier of the collectivité
uses it, and only this collectivité's."""

from fastapi.testclient import TestClient

from civia.accounts.models import Tenant
from civia.assistants.context import assistant_context
from tests.conftest import Personas, login_as, page_text

ELU = "Veuillez agréer, {appel}, l'assurance de mon profond respect."


def _profile(client: TestClient, tenant_id: int) -> dict:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, tenant_id)
        assert tenant is not None
        return dict(tenant.profile or {})


def test_an_admin_sets_the_formula_to_elus(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "admin")
    page = client.get("/admin/courriers")
    assert page.status_code == 200 and '<label for="f-formule_elu">Aux élus' in page.text
    assert 'href="/admin/courriers"' in page.text  # in the admin's menu
    resp = client.post(
        "/admin/courriers", data={"formule_elu": ELU}, headers=headers, follow_redirects=False
    )
    assert resp.status_code == 303
    assert _profile(client, personas.tenant.id)["formule_elu"] == ELU
    assert "formule_elu" not in _profile(client, personas.other_tenant.id)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None
        formules = assistant_context(db, tenant)["formules"]
    assert formules["élu"] == ELU
    assert formules["usager"].startswith("Nous vous prions d'agréer, {appel}")  # the default
    page = page_text(client.get("/admin/courriers"))
    assert "Veuillez agréer, Madame, l'assurance de mon profond respect." in page


def test_a_formula_without_final_point_is_refused_and_kept(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "admin")
    resp = client.post("/admin/courriers", data={"formule_usager": "Cordialement"}, headers=headers)
    assert resp.status_code == 422
    assert "Terminez la formule par un point." in page_text(resp)
    assert ">Cordialement</textarea>" in resp.text  # nothing lost
    assert "formule_usager" not in _profile(client, personas.tenant.id)


def test_only_admins_reach_the_page(client: TestClient) -> None:
    headers = login_as(client, "agent")
    assert client.get("/admin/courriers").status_code == 403
    resp = client.post("/admin/courriers", data={"formule_elu": ELU}, headers=headers)
    assert resp.status_code == 403
