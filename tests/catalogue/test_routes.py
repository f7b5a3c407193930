"""The catalogue's pages over HTTP, across two collectivités: nothing is visible before it is
published, a withdrawn entry answers 404, adopting creates a draft with its lineage, the
operator sees none of it."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts.models import User
from civia.assistants import builder
from civia.catalogue.models import CatalogueEntry
from civia.db.engine import session_scope
from civia.tenants import platform
from tests.conftest import Personas, login_as, page_text

SPEC: dict[str, Any] = {
    "id": "courrier-voirie", "name": "Courrier voirie", "description": "Réponses aux riverains.",
    "category": "Courrier", "instructions": "Tu rédiges les courriers du service voirie.",
    "prompt": "Objet : {{ objet }}", "fields": [{"name": "objet", "label": "Objet du courrier"}],
}  # fmt: skip


def _as(client: TestClient, login: str) -> tuple[TestClient, dict[str, str]]:
    other = TestClient(client.app)
    return other, login_as(other, login)


def _seed_assistant(client: TestClient, personas: Personas) -> None:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        referent = db.get(User, personas["referent"].id)
        assert referent is not None
        builder.create(db, user=referent, spec=builder.validate(SPEC))


def _publish(web: TestClient, headers: dict[str, str], **form: str) -> int:
    data = {"kind": "assistant", "source": "courrier-voirie", "named": "non", **form}
    resp = web.post("/catalogue/publier", data=data, headers=headers, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    found = re.fullmatch(r"/catalogue/(\d+)\?ok=publie", resp.headers["location"])
    assert found
    return int(found.group(1))


def test_publish_browse_adopt_withdraw(client: TestClient, personas: Personas) -> None:
    _seed_assistant(client, personas)
    referent, r_headers = _as(client, "referent")
    olivia, o_headers = _as(client, "olivia")
    # Not published: the other collectivité sees nothing of it.
    assert "Courrier voirie" not in olivia.get("/catalogue").text
    # Démoville's référent publishes it, consenting to be named.
    form = referent.get("/catalogue/publier")
    assert form.status_code == 200 and "Courrier voirie (courrier-voirie)" in page_text(form)
    entry_id = _publish(referent, r_headers, named="oui")
    listing = page_text(olivia.get("/catalogue"))
    assert "Courrier voirie" in listing and "Commune de Démoville" in listing
    preview = page_text(olivia.get(f"/catalogue/{entry_id}"))
    assert "Objet du courrier" in preview and "Adopter en brouillon" in preview
    # Olivia (admin of Autreville) adopts it: a draft of her collectivité, with its lineage.
    adopted = olivia.post(
        f"/catalogue/{entry_id}/adopter", data={"slug": ""}, headers=o_headers,
        follow_redirects=False,
    )  # fmt: skip
    assert adopted.status_code == 303
    assert adopted.headers["location"] == "/atelier/courrier-voirie?ok=adopte"
    draft = page_text(olivia.get(adopted.headers["location"]))
    assert "Brouillon" in draft and "Assistant adopté du catalogue partagé" in draft
    assert re.search(
        rf"Adapté du catalogue partagé : « Courrier voirie », fiche n° {entry_id}, version 1 "
        r"du \d+(er)? \w+ \d{4}, publiée par Commune de Démoville\.",
        draft,
    )
    # Her draft cannot be published before her own comité approved its card.
    refused = olivia.post(
        "/atelier/courrier-voirie/publier", data={"sensitivity": "internal"}, headers=o_headers
    )
    assert refused.status_code == 409 and "comité" in page_text(refused)
    # The same slug again: the preview again, with a French message, nothing created.
    again = olivia.post(f"/catalogue/{entry_id}/adopter", data={"slug": ""}, headers=o_headers)
    assert again.status_code == 409 and "choisissez-en un autre" in page_text(again)
    # Withdrawn: hidden and not adoptable (404), the adopted copy stays.
    gone = referent.post(
        f"/catalogue/{entry_id}/retirer", headers=r_headers, follow_redirects=False
    )
    assert gone.status_code == 303
    assert "Courrier voirie" not in olivia.get("/catalogue").text
    assert olivia.get(f"/catalogue/{entry_id}").status_code == 404
    late = olivia.post(f"/catalogue/{entry_id}/adopter", data={"slug": "x-y"}, headers=o_headers)
    assert late.status_code == 404
    assert olivia.get("/atelier/courrier-voirie").status_code == 200


def test_an_anonymous_publication_does_not_name_its_collectivite(
    client: TestClient, personas: Personas
) -> None:
    _seed_assistant(client, personas)
    admin, a_headers = _as(client, "admin")
    entry_id = _publish(admin, a_headers, description="Courriers aux riverains des travaux.")
    olivia, _ = _as(client, "olivia")
    for page in (olivia.get("/catalogue"), olivia.get(f"/catalogue/{entry_id}")):
        text = page_text(page)
        assert "Courriers aux riverains des travaux." in text
        assert "Démoville" not in text and "choisi de ne pas être nommée" in text


def test_refusals(client: TestClient, personas: Personas) -> None:
    _seed_assistant(client, personas)
    admin, a_headers = _as(client, "admin")
    empty = admin.post("/catalogue/publier", data={"kind": "assistant"}, headers=a_headers)
    assert empty.status_code == 422 and "Choisissez l'élément à publier" in page_text(empty)
    entry_id = _publish(admin, a_headers)
    # Another collectivité cannot withdraw it; an agent cannot even browse.
    olivia, o_headers = _as(client, "olivia")
    assert olivia.post(f"/catalogue/{entry_id}/retirer", headers=o_headers).status_code == 404
    carol, _ = _as(client, "carol")
    assert carol.get("/catalogue").status_code == 403
    assert carol.get(f"/catalogue/{entry_id}").status_code == 403
    # Pilotage of Autreville browses it but adopts only grids.
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        db.add(
            User(
                login="paul", display_name="Paul", role="pilotage",
                tenant_id=personas.other_tenant.id, service_id=personas["carol"].service_id,
                password_hash=personas["carol"].password_hash,
            )
        )  # fmt: skip
        from civia.governance import charter

        paul = db.scalar(select(User).where(User.login == "paul"))
        assert paul is not None
        charter.accept(db, paul, version=1)
    pilot, p_headers = _as(client, "paul")
    assert "Le pilotage" not in page_text(pilot.get(f"/catalogue/{entry_id}"))
    refused = pilot.post(f"/catalogue/{entry_id}/adopter", data={}, headers=p_headers)
    assert refused.status_code == 403 and "référent ou un administrateur" in page_text(refused)
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        assert db.scalar(select(CatalogueEntry.withdrawn_at)) is None


def test_the_operator_sees_nothing_of_the_catalogue(client: TestClient, personas: Personas) -> None:
    _seed_assistant(client, personas)
    admin, a_headers = _as(client, "admin")
    entry_id = _publish(admin, a_headers)
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        platform.create_operator(db, login="ops", password="operator-password-1")
    ops = TestClient(client.app)
    page = ops.get("/connexion")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    ops.post(
        "/connexion",
        data={"login": "ops", "password": "operator-password-1", "csrf_token": token.group(1)},
    )
    for path in ("/catalogue", f"/catalogue/{entry_id}", "/catalogue/publier"):
        resp = ops.get(path, follow_redirects=False)
        assert resp.status_code == 403, path
        assert "Courrier voirie" not in resp.text


def test_a_grid_goes_from_pilotage_to_another_collectivite(
    client: TestClient, personas: Personas
) -> None:
    from civia.planning import diagnostics
    from civia.planning.grid import builtin

    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        pilotage = db.get(User, personas["pilotage"].id)
        assert pilotage is not None
        text = builtin().as_yaml().replace(builtin().slug, "grille-rurale")
        diagnostics.import_grid(db, user=pilotage, text=text)
    pilot, p_headers = _as(client, "pilotage")
    form = page_text(pilot.get("/catalogue/publier"))
    assert "Une grille de diagnostic" in form and "Un assistant de l'atelier" not in form
    entry_id = _publish(pilot, p_headers, kind="grille", source="grille-rurale")
    olivia, o_headers = _as(client, "olivia")
    preview = page_text(olivia.get(f"/catalogue/{entry_id}"))
    assert "Aperçu de la grille" in preview and builtin().dimensions[0].label in preview
    adopted = olivia.post(
        f"/catalogue/{entry_id}/adopter", data={"slug": ""}, headers=o_headers,
        follow_redirects=False,
    )  # fmt: skip
    assert adopted.status_code == 303
    assert adopted.headers["location"].startswith("/pilotage/diagnostic?ok=")
    page = page_text(olivia.get(adopted.headers["location"]))
    assert "Grille adoptée" in page
    assert f"Adapté du catalogue partagé : « {builtin().title} », fiche n° {entry_id}" in page
    assert "/pilotage/diagnostic/nouveau?grille=grille-rurale" in page
