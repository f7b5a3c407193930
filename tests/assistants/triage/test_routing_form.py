"""Admins write their collectivité's routing words and examples per service (« Règles de
tri »); the triage of this collectivité, and only this one, uses them."""

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from civia.accounts.models import Tenant
from civia.assistants.context import assistant_context
from civia.assistants.triage import profile as own
from tests.conftest import Personas, login_as, page_text


def _profile(client: TestClient, tenant_id: int) -> dict:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, tenant_id)
        assert tenant is not None
        return dict(tenant.profile or {})


def test_an_admin_adds_words_and_examples_to_a_service(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "admin")
    page = client.get("/admin/routage")
    assert page.status_code == 200 and 'href="/admin/routage"' in page.text  # in the menu
    soup = BeautifulSoup(page.text, "html.parser")
    assert [legend.text for legend in soup.select("fieldset legend")] == ["Population", "Urbanisme"]
    sid = personas.service_b.id
    for name in (f"mots-{sid}", f"exemples-{sid}"):
        field = soup.find(attrs={"name": name})
        assert field is not None and soup.find("label", attrs={"for": field["id"]}) is not None
        assert soup.find(id=field["aria-describedby"]) is not None
    assert "Mots fournis par Civia : permis de construire" in page_text(page)
    resp = client.post(
        "/admin/routage",
        data={
            f"mots-{sid}": "ravalement, ravalement , enseigne",
            f"exemples-{sid}": "Puis-je poser une enseigne sur ma boutique ?\n\n",
            "mots-999999": "intrus",  # not a service of this collectivité: ignored
        },
        headers=headers,
        follow_redirects=False,
    )
    assert resp.status_code == 303
    profile = _profile(client, personas.tenant.id)
    assert profile[own.WORDS_KEY] == {"Urbanisme": "ravalement, enseigne"}
    assert profile[own.EXAMPLES_KEY] == {
        "Urbanisme": ["Puis-je poser une enseigne sur ma boutique ?"]
    }
    assert own.WORDS_KEY not in _profile(client, personas.other_tenant.id)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        tenant = db.get(Tenant, personas.tenant.id)
        assert tenant is not None
        context = assistant_context(db, tenant)
    assert context["routage_exemples"]["Urbanisme"] == profile[own.EXAMPLES_KEY]["Urbanisme"]
    again = page_text(client.get("/admin/routage?ok=Règles de tri enregistrées."))
    assert "Règles de tri enregistrées." in again
    assert ">Puis-je poser une enseigne sur ma boutique ?</textarea>" in again


def test_too_many_examples_are_refused_in_french_and_kept(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "admin")
    sid = personas.service_a.id
    many = "\n".join(f"Demande numéro {n}" for n in range(own.MAX_EXAMPLES + 1))
    resp = client.post("/admin/routage", data={f"exemples-{sid}": many}, headers=headers)
    assert resp.status_code == 422
    text = page_text(resp)
    assert f"{own.MAX_EXAMPLES + 1} exemples ; maximum {own.MAX_EXAMPLES} par service." in text
    assert "Rien n'a été enregistré" in text and "Demande numéro 20" in text  # nothing lost
    soup = BeautifulSoup(resp.text, "html.parser")
    assert soup.find(attrs={"name": f"exemples-{sid}"})["aria-invalid"] == "true"
    assert own.EXAMPLES_KEY not in _profile(client, personas.tenant.id)


def test_only_admins_reach_the_form(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    assert client.get("/admin/routage").status_code == 403
    sid = personas.service_a.id
    resp = client.post("/admin/routage", data={f"mots-{sid}": "x"}, headers=headers)
    assert resp.status_code == 403
