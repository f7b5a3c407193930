"""The human in the loop: form errors, draft editing, validation, rating, exports, isolation."""

import io

import docx
import pytest
from fastapi.testclient import TestClient

from civia.assistants.models import AssistantRun
from tests.conftest import Personas, login_as, page_text

DRAFT = "# Arrêté n° 2027-12\n\n**Article 1** – La rue des Lilas est fermée.\n\n| Jour | Horaire |\n|---|---|\n| Lundi | 8 h – 12 h |\n"


@pytest.fixture
def draft_run(client: TestClient, personas: Personas) -> int:
    """A run whose model step is done (the model itself is covered in test_builtins)."""
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = AssistantRun(
            tenant_id=personas.tenant.id, user_id=personas["agent"].id, service_id=personas.service_a.id,
            assistant_id="arrete", inputs={"objet": "Fermeture rue des Lilas", "individuel": "non"},
            status="draft", draft=DRAFT, model="qwen", time_saved_minutes=45,
        )  # fmt: skip
        db.add(run)
        db.commit()
        return run.id


def test_form_errors_keep_what_was_typed(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    data = {"objet": "Travaux rue Haute", "motifs": "", "individuel": "peut-être"}
    resp = client.post("/assistants/arrete", data=data, headers=headers)
    assert resp.status_code == 422
    text = page_text(resp)
    assert (
        "« Motifs (pourquoi) » est obligatoire." in text
        and "Choisissez une valeur proposée" in text
    )
    assert 'value="Travaux rue Haute"' in text
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.query(AssistantRun).count() == 0


def test_form_page_lists_fields_with_labels(client: TestClient, personas: Personas) -> None:
    login_as(client, "agent")
    page = client.get("/assistants/courrier").text
    assert '<label for="f-objet">Objet du courrier' in page and 'name="csrf_token"' in page
    assert (
        client.get("/assistants/chat", follow_redirects=False)
        .headers["location"]
        .startswith("/conversations/nouvelle")
    )


def test_edit_validate_rate_export(client: TestClient, personas: Personas, draft_run: int) -> None:
    headers = login_as(client, "agent")
    edited = DRAFT.replace("fermée", "fermée à la circulation")
    client.post(f"/resultats/{draft_run}/brouillon", data={"text": edited}, headers=headers)
    resp = client.post(
        f"/resultats/{draft_run}/valider", data={"text": edited, "minutes": "30"}, headers=headers
    )
    assert "Résultat validé" in page_text(resp)
    client.post(
        f"/resultats/{draft_run}/avis",
        data={"rating": "useful", "comment": "Parfait"},
        headers=headers,
    )
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = db.get(AssistantRun, draft_run)
        assert (
            run.status == "validated"
            and run.final_text == edited
            and run.validated_by == personas["agent"].id
        )
        assert run.time_saved_minutes == 30 and run.rating == "useful"
    resp = client.get(f"/resultats/{draft_run}/export/docx")
    assert resp.status_code == 200 and "attachment" in resp.headers["content-disposition"]
    document = docx.Document(io.BytesIO(resp.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "fermée à la circulation" in text and "Validé par Agent" in text
    assert "Commune de Démoville" in text  # letterhead
    assert (
        client.post(
            f"/resultats/{draft_run}/brouillon", data={"text": "x"}, headers=headers
        ).status_code
        == 409
    )
    assert client.get(f"/resultats/{draft_run}/export/pptx").status_code == 404  # not offered


def test_draft_export_says_not_validated(
    client: TestClient, personas: Personas, draft_run: int
) -> None:
    login_as(client, "agent")
    resp = client.get(f"/resultats/{draft_run}/export/odt")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith(
        "application/vnd.oasis"
    )


def test_other_users_cannot_see_a_result(
    client: TestClient, personas: Personas, draft_run: int
) -> None:
    for intruder in ("bob", "admin", "carol"):
        other = TestClient(client.app)
        h = login_as(other, intruder)
        assert other.get(f"/resultats/{draft_run}").status_code == 404
        assert other.get(f"/resultats/{draft_run}/export/docx").status_code == 404
        assert (
            other.post(f"/resultats/{draft_run}/valider", data={"text": "x"}, headers=h).status_code
            == 404
        )


def test_correction_shows_every_change(client: TestClient, personas: Personas) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = AssistantRun(tenant_id=personas.tenant.id, user_id=personas["agent"].id, assistant_id="correction",
                           inputs={"texte": "Les enfant sont partit."}, status="draft", draft="Les enfants sont partis.")  # fmt: skip
        db.add(run)
        db.commit()
        run_id = run.id
    login_as(client, "agent")
    page = client.get(f"/resultats/{run_id}").text
    assert "Modifications (2)" in page and "<del>enfant</del><ins>enfants</ins>" in page
