"""The builder's pages: roles, tenant isolation, form flow, test pane, review, export/import."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.assistants import access, builder
from civia.assistants.models import AssistantDefinition, AssistantRun
from civia.audit.models import AuditEntry
from civia.db.engine import session_scope
from civia.governance.models import UseCase
from civia.settings import Settings
from civia.web.routes import builder as builder_routes
from tests.conftest import Personas, build_app, login_as, page_text

BUILDERS = {"referent", "admin"}
OTHERS = {"agent", "comite", "dpo", "pilotage"}
FORM = {
    "id": "courrier-voirie", "name": "Courrier voirie", "description": "Réponses aux riverains.",
    "category": "Courrier", "icon": "🚧", "instructions": "Tu rédiges les courriers du service voirie.",
    "prompt": "", "sharing": "service", "output.kind": "text", "time_saved_minutes": "15",
    "fields.0.name": "objet", "fields.0.label": "Objet", "fields.0.kind": "short_text",
    "fields.0.required": "true", "action": "save",
}  # fmt: skip


@pytest.fixture
def app_and_personas(
    settings: Settings, password_hash: str
) -> Iterator[tuple[TestClient, Personas]]:
    """The shared app plus this router (app.py wires it in production)."""
    client, personas = build_app(settings, password_hash)
    if not any(getattr(r, "path", "") == "/atelier" for r in client.app.routes):
        client.app.include_router(builder_routes.router)
    with client:
        yield client, personas
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def _row(client: TestClient, slug: str = "courrier-voirie") -> AssistantDefinition | None:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        return db.scalar(select(AssistantDefinition).where(AssistantDefinition.slug == slug))


def _create(client: TestClient, headers: dict[str, str], **change: str) -> Any:
    return client.post(
        "/atelier/nouveau", data={**FORM, **change}, headers=headers, follow_redirects=False
    )


PAGES = ["/atelier", "/atelier/nouveau", "/atelier/nouveau?depuis=swot", "/atelier/importer",
         "/atelier/export/swot"]  # fmt: skip


@pytest.mark.parametrize("role", sorted(BUILDERS | OTHERS))
def test_role_matrix(client: TestClient, personas: Personas, role: str) -> None:
    login_as(client, role)
    for path in PAGES:
        resp = client.get(path)
        if role in BUILDERS:
            assert resp.status_code == 200, (role, path)
        else:
            assert resp.status_code == 403 and "droits" in page_text(resp), (role, path)


@pytest.mark.parametrize("role", sorted(OTHERS))
def test_others_cannot_post(client: TestClient, personas: Personas, role: str) -> None:
    headers = login_as(client, "referent")
    _create(client, headers)
    client.cookies.clear()
    headers = login_as(client, role)
    for path in ("/atelier/nouveau", "/atelier/importer", "/atelier/courrier-voirie",
                 "/atelier/courrier-voirie/soumettre", "/atelier/courrier-voirie/essayer"):  # fmt: skip
        assert client.post(path, data=FORM, headers=headers).status_code == 403, path


def test_anonymous_goes_to_login(client: TestClient) -> None:
    resp = client.get("/atelier", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/connexion")


def test_csrf_is_required(client: TestClient, personas: Personas) -> None:
    login_as(client, "referent")
    assert client.post("/atelier/nouveau", data=FORM).status_code == 403
    assert _row(client) is None


def test_tenant_and_service_isolation(client: TestClient, personas: Personas) -> None:
    assert _create(client, login_as(client, "referent")).status_code == 303
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        spec = {**_row(client).spec, "id": "urbanisme"}  # type: ignore[union-attr]
        db.add(AssistantDefinition(tenant_id=personas.tenant.id, slug="urbanisme",
                                   owner_service_id=personas.service_b.id, spec=spec))  # fmt: skip
    urls = ["/atelier/courrier-voirie", "/atelier/courrier-voirie/versions",
            "/atelier/export/courrier-voirie"]  # fmt: skip
    client.cookies.clear()
    headers = login_as(client, "olivia")  # admin of another collectivité
    for url in urls:
        assert client.get(url).status_code == 404, url
    resp = client.post("/atelier/courrier-voirie", data=FORM, headers=headers)
    assert resp.status_code == 404
    assert "Courrier voirie" not in client.get("/atelier").text
    client.cookies.clear()
    login_as(client, "referent")  # another service's assistant
    assert client.get("/atelier/urbanisme").status_code == 404
    assert "urbanisme" not in client.get("/atelier").text
    client.cookies.clear()
    login_as(client, "admin")  # the admin sees the whole collectivité
    assert client.get("/atelier/urbanisme").status_code == 200
    page = client.get("/atelier").text
    assert "urbanisme" in page and "Urbanisme" in page


def test_create_errors_are_french_beside_inputs_and_nothing_is_lost(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "referent")
    resp = _create(
        client, headers, id="Mon Assistant", instructions="court",
        **{"fields.0.name": "Objet", "fields.0.label": "Objet du courrier",
           "output.kind": "structured", "output.json_schema": '{"type": "objet"}',
           "output.template": "{% if %}", "fields.1.label": "Tout ce que j'ai écrit ici"},
    )  # fmt: skip
    assert resp.status_code == 422
    soup = BeautifulSoup(resp.text, "html.parser")
    beside = {s["id"][2:]: s.get_text() for s in soup.select(".field-error")}
    assert "minuscules sans accent" in beside["id"]
    assert "au moins 10 caractère" in beside["instructions"]
    assert "nom technique invalide" in beside["fields.0.name"]
    assert "obligatoire" in beside["fields.1.name"]
    assert "schéma JSON invalide" in beside["output.json_schema"]
    assert "gabarit invalide (ligne 1)" in beside["output.template"]
    for key in beside:  # each input points at its message
        field = soup.find(id=f"i-{key}")
        if field is not None and field.name in ("input", "textarea", "select"):
            assert field["aria-invalid"] == "true" and f"e-{key}" in field["aria-describedby"]
    summary = soup.select_one("div.alert.error").get_text()
    assert "Champ n° 1 › nom technique" in summary and "Identifiant" in summary
    assert not re.search(r"Field required|Input should|String should", resp.text)
    text = page_text(resp)
    for typed in (
        "Mon Assistant",
        "Objet du courrier",
        "Tout ce que j'ai écrit ici",
        '{"type": "objet"}',
    ):
        assert typed in text
    assert _row(client) is None


def test_add_and_remove_fields_without_javascript(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "referent")
    resp = _create(client, headers, action="add_field")
    assert resp.status_code == 200 and _row(client) is None  # nothing saved
    soup = BeautifulSoup(resp.text, "html.parser")
    assert soup.find(id="i-fields.1.label") is not None
    assert soup.find(id="i-fields.0.label")["value"] == "Objet"
    resp = _create(
        client, headers, **{"fields.1.name": "motif", "fields.1.label": "Motif",
                            "fields.1.remove": "true"},
    )  # fmt: skip
    assert resp.status_code == 303
    row = _row(client)
    assert row is not None and [f["name"] for f in row.spec["fields"]] == ["objet"]
    assert row.spec["prompt"] == "Objet : {{ objet }}"


def test_edit_versions_diff_and_rollback(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "referent")
    resp = _create(client, headers)
    assert resp.headers["location"] == "/atelier/courrier-voirie?ok=cree"
    page = client.get("/atelier/courrier-voirie")
    assert "version 1 · Brouillon" in page_text(page)
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.find(id="i-name")["value"] == "Courrier voirie"
    form = {**FORM, "base_version": "1", "instructions": "Tu rédiges des courriers courtois."}
    resp = client.post("/atelier/courrier-voirie", data=form, headers=headers)
    assert "Nouvelle version enregistrée" in page_text(resp)
    resp = client.post(
        "/atelier/courrier-voirie", data={**form, "base_version": "2"}, headers=headers
    )
    assert "Aucune modification" in page_text(resp)
    # Someone else's tab still on version 1: refused, typed text kept, next save goes through.
    stale = {**form, "name": "Nom de l'autre onglet"}
    resp = client.post("/atelier/courrier-voirie", data=stale, headers=headers)
    assert resp.status_code == 422 and "Nom de l'autre onglet" in page_text(resp)
    assert "La version 2 a été enregistrée par quelqu'un d'autre" in page_text(resp)
    assert (
        BeautifulSoup(resp.text, "html.parser").find(attrs={"name": "base_version"})["value"] == "2"
    )

    history = client.get("/atelier/courrier-voirie/versions?a=1&b=2")
    soup = BeautifulSoup(history.text, "html.parser")
    assert [d.get_text() for d in soup.select("pre.yaml-diff del")] == [
        "− instructions: Tu rédiges les courriers du service voirie."
    ]
    assert [i.get_text() for i in soup.select("pre.yaml-diff ins")] == [
        "+ instructions: Tu rédiges des courriers courtois."
    ]
    resp = client.post("/atelier/courrier-voirie/versions/1/restaurer", headers=headers)
    assert "recopiée dans une nouvelle version" in page_text(resp)
    row = _row(client)
    assert row is not None and row.version == 3
    assert row.spec["instructions"] == FORM["instructions"]
    assert "Retour à la version 1" in page_text(client.get("/atelier/courrier-voirie/versions"))
    assert client.get("/atelier/courrier-voirie/versions?a=1&b=9").status_code == 404


def test_duplicate_a_builtin(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "referent")
    soup = BeautifulSoup(client.get("/atelier/nouveau?depuis=swot").text, "html.parser")
    assert soup.find(id="i-id")["value"] == "swot-copie"
    assert "forces" in soup.find(id="i-output.json_schema").get_text()
    # the copy keeps the built-in's post-check (the menu offers every check a spec may name)
    assert soup.find(id="i-output.checks").find("option", selected=True)["value"] == "swot"
    resp = _create(client, headers, id="swot", action="save")
    assert "assistant intégré" in page_text(resp)


def test_test_pane_runs_the_draft(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = login_as(client, "referent")
    _create(client, headers)
    resp = client.post("/atelier/courrier-voirie/essayer", data={"objet": ""}, headers=headers)
    assert resp.status_code == 422 and "« Objet » est obligatoire." in page_text(resp)
    resp = client.post(
        "/atelier/courrier-voirie/essayer", data={"objet": "Nid-de-poule"}, headers=headers,
        follow_redirects=False,
    )  # fmt: skip
    assert resp.status_code == 303 and resp.headers["location"].startswith("/resultats/")
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        run = db.scalars(select(AssistantRun)).one()
        assert run.time_saved_minutes == 0
        assert (run.assistant_id, run.assistant_version, run.inputs) == (
            "courrier-voirie", 1, {"objet": "Nid-de-poule"},
        )  # fmt: skip
    # The result page finds drafts once routes/assistants.py asks builder.find_for_owner:
    monkeypatch.setattr(access, "find", _find_with_drafts(access.find))
    assert client.get(resp.headers["location"]).status_code == 200


def _find_with_drafts(find: Any) -> Any:
    def wrapped(db: Any, user: Any, assistant_id: str) -> Any:
        found = find(db, user, assistant_id)
        if found is None:
            row = builder.editable(db, user=user, slug=assistant_id)
            found = access.definition_spec(row) if row is not None else None
        return found

    return wrapped


def test_publication_flow(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "referent")
    _create(client, headers, sharing="tenant")
    assert client.post("/atelier/courrier-voirie/publier", data={"sensitivity": "public"},
                       headers=headers).status_code == 403  # fmt: skip
    resp = client.post("/atelier/courrier-voirie/soumettre", headers=headers)
    assert "soumis pour publication" in page_text(resp)
    assert client.post("/atelier/courrier-voirie/soumettre", headers=headers).status_code == 409

    def home_lists(login: str) -> bool:
        client.cookies.clear()
        login_as(client, login)
        return "Courrier voirie" in client.get("/").text

    assert not home_lists("bob")
    client.cookies.clear()
    headers = login_as(client, "admin")
    assert 'name="sensitivity"' in client.get("/atelier").text
    refused = client.post(
        "/atelier/courrier-voirie/publier", data={"sensitivity": "personal"}, headers=headers
    )
    assert refused.status_code == 409 and "approuvé par le comité" in page_text(refused)
    assert not home_lists("bob")
    client.cookies.clear()
    headers = login_as(client, "admin")
    case_id = _approved_card(client, personas, "courrier-voirie")
    resp = client.post(
        "/atelier/courrier-voirie/publier", data={"sensitivity": "personal", "suivant": "atelier"},
        headers=headers, follow_redirects=False,
    )  # fmt: skip
    assert resp.headers["location"] == "/atelier?ok=publie"
    row = _row(client)
    assert row is not None and (row.status, row.sensitivity) == ("published", "personal")
    assert home_lists("bob") and not home_lists("carol")  # shared with the whole collectivité
    client.cookies.clear()
    headers = login_as(client, "admin")
    resp = client.post("/atelier/courrier-voirie/suspendre", headers=headers)
    assert "suspendu" in page_text(resp)
    assert not home_lists("bob")
    client.cookies.clear()
    headers = login_as(client, "admin")
    client.post(
        "/atelier/courrier-voirie/publier", data={"sensitivity": "personal"}, headers=headers
    )
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        entries = db.scalars(
            select(AuditEntry).where(AuditEntry.target == "assistant:courrier-voirie")
            .order_by(AuditEntry.id)
        ).all()  # fmt: skip
    assert [(e.action, e.details.get("republished")) for e in entries] == [
        ("assistant.published", False), ("assistant.suspended", None),
        ("assistant.published", True),
    ]  # fmt: skip
    assert entries[0].details["use_case"] == case_id


def _approved_card(client: TestClient, personas: Personas, slug: str) -> int:
    """The comité's approval of the assistant's use case (its workflow is tested elsewhere)."""
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        case = UseCase(
            tenant_id=personas.tenant.id, assistant_id=slug, title="Courrier voirie",
            status="approved",
        )  # fmt: skip
        db.add(case)
        db.commit()
        return case.id


def test_sensitivity_is_never_set_by_the_form(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "referent")
    _create(client, headers, sensitivity="public", status="published")
    row = _row(client)
    assert row is not None and (row.status, row.sensitivity) == ("draft", "internal")
    assert "sensitivity" not in row.spec and "status" not in row.spec


def test_export_then_import_through_the_pages(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "referent")
    resp = client.get("/atelier/export/swot")
    exported = resp.content
    assert resp.headers["content-disposition"] == 'attachment; filename="swot.yaml"'
    assert resp.headers["content-type"].startswith("application/yaml")
    data = yaml.safe_load(exported)
    assert data["id"] == "swot" and "sensitivity" not in data
    resp = client.post(
        "/atelier/importer", files={"fichier": ("swot.yaml", exported, "application/yaml")},
        data={"slug": ""}, headers=headers,
    )  # fmt: skip
    assert resp.status_code == 422 and "assistant intégré" in page_text(resp)
    resp = client.post(
        "/atelier/importer", files={"fichier": ("swot.yaml", exported, "application/yaml")},
        data={"slug": "swot-voirie"}, headers=headers, follow_redirects=False,
    )  # fmt: skip
    assert resp.headers["location"] == "/atelier/swot-voirie?ok=importe"
    row = _row(client, "swot-voirie")
    assert row is not None and row.status == "draft"
    again = client.get("/atelier/export/swot-voirie")
    assert yaml.safe_load(again.content) == {**data, "id": "swot-voirie"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id: essai\nname: [\n", "Erreur de syntaxe YAML ligne 3"),
        (b"x" * (builder.MAX_IMPORT_BYTES + 10), "256 Ko"),
        ("name: Été".encode("latin-1"), "UTF-8"),
        (b"- un\n- deux\n", "il contient une liste"),
        (b"id: essai\nname: Essai\ncouleur: bleu\n", "couleur"),
    ],
)
def test_bad_uploads_are_explained(
    client: TestClient, personas: Personas, content: bytes, message: str
) -> None:
    headers = login_as(client, "referent")
    resp = client.post(
        "/atelier/importer", files={"fichier": ("a.yaml", content)}, data={"slug": "mon-essai"},
        headers=headers,
    )  # fmt: skip
    assert resp.status_code == 422 and message in page_text(resp)
    assert 'value="mon-essai"' in resp.text  # what was typed stays


def test_upload_without_file(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "referent")
    resp = client.post("/atelier/importer", data={"slug": ""}, headers=headers)
    assert resp.status_code == 422 and "Choisissez le fichier YAML" in page_text(resp)


def test_pages_are_accessible_and_csp_safe(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "admin")
    _create(client, headers)
    client.post("/atelier/courrier-voirie/soumettre", headers=headers)
    urls = ["/atelier", "/atelier/nouveau?depuis=compte-rendu", "/atelier/importer",
            "/atelier/courrier-voirie", "/atelier/courrier-voirie/versions"]  # fmt: skip
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        _check_page(resp.text, url)


def _check_page(html: str, url: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("html")["lang"] == "fr" and soup.find("h1"), url
    for script in soup.find_all("script"):
        assert script.get("src") and not script.string, url
    assert not soup.find(attrs={"style": True}), url
    assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)], url
    for form in soup.find_all("form", method="post"):
        assert form.find("input", attrs={"name": "csrf_token"}), (url, form.get("action"))
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.get("type") in ("hidden", "submit"):
            continue
        labelled = field.find_parent("label") or (
            field.get("id") and soup.find("label", attrs={"for": field["id"]})
        )
        assert labelled, (url, field.get("name"))
