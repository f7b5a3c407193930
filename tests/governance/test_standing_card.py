"""The built-ins' standing card: until the comité approves it, the built-ins are marked as not
examined (home, their page, the public page); once approved, they run under it, each linked to
it and it to them; suspending it stops them all. The public page lists what is in use."""

from __future__ import annotations

from fastapi.testclient import TestClient

from civia.assistants.catalogue import builtins
from civia.assistants.models import AssistantDefinition
from civia.db.engine import session_scope
from civia.governance import standing
from civia.governance.models import UseCase
from tests.conftest import Personas, page_text
from tests.governance.conftest import session, sign_in, text_of

STANDING = {
    "assistant_id": standing.BUILTINS_ID,
    "title": "Assistants intégrés",
    "purpose": "Aider les agents à rédiger.",
    "users_description": "Tous les agents.",
    "data_categories": ["identification"],
    "hosting_class": "local",
    "human_oversight": "Chaque brouillon est relu et validé par un agent.",
    "expected_benefit": "Du temps de rédaction.",
    "risk_class": "transparency",
}
NOT_EXAMINED = "Pas encore examiné par le comité d'éthique"


def _definition(personas: Personas, slug: str, status: str) -> AssistantDefinition:
    """A service's own assistant (a copy of a built-in's spec)."""
    spec = {**builtins()["correction"].model_dump(mode="json"), "id": slug,
            "name": f"Assistant {slug}"}  # fmt: skip
    return AssistantDefinition(tenant_id=personas.tenant.id, slug=slug, spec=spec, status=status,
                               owner_service_id=personas.service_a.id,
                               created_by=personas["referent"].id)  # fmt: skip


def _post(client: TestClient, path: str, headers: dict[str, str], **data: object):  # type: ignore[no-untyped-def]
    resp = client.post(path, data=data, headers=headers, follow_redirects=False)
    assert resp.status_code == 303, page_text(resp)
    return resp


def _approve_standing_card(client: TestClient, personas: Personas) -> int:
    """Written and submitted by a référent, examined and approved by the comité."""
    headers = sign_in(client, "referent")
    data = {**STANDING, "owner_service_id": str(personas.service_a.id)}
    resp = _post(client, "/gouvernance/cas-usage", headers, **data)
    case_id = int(resp.headers["location"].split("/")[-1].split("?")[0])
    path = f"/gouvernance/cas-usage/{case_id}"
    _post(client, f"{path}/transition", headers, action="submit")
    headers = sign_in(client, "comite")
    _post(client, f"{path}/transition", headers, action="review")
    _post(client, f"{path}/vote", headers, choice="approve")
    _post(client, f"{path}/transition", headers, action="approve")
    return case_id


def test_builtins_are_marked_until_the_comite_approves_their_standing_card(
    client: TestClient, personas: Personas
) -> None:
    sign_in(client, "agent")
    home = client.get("/")
    assert home.text.count(NOT_EXAMINED) == len(builtins())
    page = text_of(client.get("/assistants/courrier"))
    assert NOT_EXAMINED in page and "Aucune fiche du registre" in page
    public = text_of(client.get("/transparence/demoville"))
    assert "pas encore examinés par le comité d'éthique" in public
    assert "Courrier" in public and "Aucun usage de l'IA approuvé" in public
    data = client.get("/transparence/demoville.json").json()
    assert data["cas_d_usage"] == [] and len(data["assistants_non_examines_par_le_comite"]) == len(
        builtins()
    )

    case_id = _approve_standing_card(client, personas)

    sign_in(client, "agent")
    assert NOT_EXAMINED not in client.get("/").text
    page = client.get("/assistants/courrier")
    assert "Usage approuvé par le comité d'éthique" in text_of(page)
    assert 'href="/transparence/demoville">Assistants intégrés</a>' in page.text  # agents
    sign_in(client, "referent")  # who reads the register goes to the card itself
    page = client.get("/assistants/courrier")
    assert f'href="/gouvernance/cas-usage/{case_id}">Assistants intégrés</a>' in page.text
    card = client.get(f"/gouvernance/cas-usage/{case_id}")
    assert 'href="/assistants/courrier"' in card.text and "Fiche permanente" in card.text

    public = text_of(client.get("/transparence/demoville"))
    assert "Assistants intégrés" in public and "pas encore examinés" not in public
    assert "Chaque brouillon est relu" in public
    data = client.get("/transparence/demoville.json").json()
    [row] = data["cas_d_usage"]
    assert "Courrier" in row["assistants"] and data["assistants_non_examines_par_le_comite"] == []
    assert client.get("/transparence/demoville.csv").text.splitlines()[0].endswith(";assistants")


def test_suspending_the_standing_card_stops_every_builtin(
    client: TestClient, personas: Personas
) -> None:
    case_id = _approve_standing_card(client, personas)
    headers = sign_in(client, "dpo")
    _post(client, f"/gouvernance/cas-usage/{case_id}/transition", headers, action="suspend",
          note="Fuite signalée.")  # fmt: skip
    sign_in(client, "agent")
    resp = client.get("/assistants/swot")
    assert resp.status_code == 403 and "suspendu" in page_text(resp)
    assert client.get("/transparence/demoville.json").json()["cas_d_usage"] == []


def test_a_builtin_with_its_own_card_and_a_published_assistant_are_listed_under_their_cards(
    client: TestClient, personas: Personas
) -> None:
    standing_id = _approve_standing_card(client, personas)
    with session_scope(session(client)) as db:
        tenant_id = personas.tenant.id
        db.add(UseCase(tenant_id=tenant_id, assistant_id="tri-demandes", title="Tri des demandes",
                       status="approved"))  # fmt: skip
        for slug, status in (("voirie", "published"), ("brouillon", "draft")):
            db.add(_definition(personas, slug, status))
            db.add(UseCase(tenant_id=tenant_id, assistant_id=slug, title=f"Usage {slug}",
                           status="approved"))  # fmt: skip
    data = client.get("/transparence/demoville.json").json()
    listed = {row["titre"]: row["assistants"] for row in data["cas_d_usage"]}
    assert listed["Tri des demandes"] == "Tri des demandes"
    assert listed["Usage voirie"] == "Assistant voirie"
    assert "Usage brouillon" not in listed  # approved, but nothing runs under it yet
    assert "Tri des demandes" not in listed["Assistants intégrés"]  # under its own card only
    sign_in(client, "comite")
    card = text_of(client.get(f"/gouvernance/cas-usage/{standing_id}"))
    assert "Tri des demandes (sous sa propre fiche : Tri des demandes)" in card


def test_the_builder_page_links_to_the_assistants_card(
    client: TestClient, personas: Personas
) -> None:
    with session_scope(session(client)) as db:
        db.add(_definition(personas, "voirie", "draft"))
    sign_in(client, "referent")
    page = client.get("/atelier/voirie")
    assert 'href="/gouvernance/cas-usage/nouveau?assistant=voirie">Rédiger sa fiche' in page.text
    with session_scope(session(client)) as db:
        case = UseCase(tenant_id=personas.tenant.id, assistant_id="voirie", title="Voirie",
                       status="submitted")  # fmt: skip
        db.add(case)
        db.flush()
        case_id = case.id
    page = client.get("/atelier/voirie")
    assert f'href="/gouvernance/cas-usage/{case_id}">Voirie</a> (Soumis au comité)' in page.text
    card = client.get(f"/gouvernance/cas-usage/{case_id}")
    assert 'href="/atelier/voirie">Assistant voirie</a>' in card.text
