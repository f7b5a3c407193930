"""The diagnostic pages: a pilotage user completes, compares and exports a diagnostic."""

from __future__ import annotations

import io

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from civia.planning import grid
from tests.conftest import Personas, login, page_text


def _form(csrf: str, value: int, title: str, **overrides: int) -> dict[str, str]:
    data = {"csrf_token": csrf, "title": title, "grille": grid.builtin().slug}
    for d in grid.builtin().dimensions:
        for q in d.questions:
            data[f"q_{q.id}"] = str(overrides.get(q.id, value))
    return data


def test_complete_compare_and_export(client: TestClient, personas: Personas) -> None:
    csrf = login(client, "pilotage")
    assert 'href="/pilotage/diagnostic"' in client.get("/").text  # the menu link
    form = client.get("/pilotage/diagnostic/nouveau")
    assert form.status_code == 200 and 'name="q_charte"' in form.text
    first = client.post("/pilotage/diagnostic", data=_form(csrf, 1, "Diagnostic de juin"))
    assert first.status_code == 200  # followed the redirect
    assert "Maturité faible" in page_text(first)
    second = client.post(
        "/pilotage/diagnostic", data=_form(csrf, 3, "Diagnostic de décembre", charte=0, comite=0)
    )
    text = page_text(second)
    assert "Maturité élevée" in text and "Déployer maintenant" in text
    assert "Dimension la plus faible : Gouvernance" in text
    soup = BeautifulSoup(second.text, "html.parser")
    svg = soup.find("svg", attrs={"role": "img"})
    assert svg is not None and svg.find("title").text == "Maturité par dimension"
    assert len(svg.find_all("polygon", attrs={"stroke-width": "2.5"})) == 2  # compared with June
    table = soup.find("caption", string="Scores par dimension (sur 100)").parent
    assert "Diagnostic de juin" in table.text and len(table.find_all("tr")) == 5
    diagnostic_url = second.url.path
    docx_file = client.get(f"{diagnostic_url}/export.docx")
    assert docx_file.status_code == 200
    import docx

    document = docx.Document(io.BytesIO(docx_file.content))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Maturité élevée" in body and "Gouvernance" in body
    pdf = client.get(f"{diagnostic_url}/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Maturité élevée" in pdf_text
    assert client.get(f"{diagnostic_url}/export.odt").status_code == 404


def test_missing_answers_keep_the_form(client: TestClient, personas: Personas) -> None:
    csrf = login(client, "admin")
    data = _form(csrf, 2, "Incomplet")
    del data["q_charte"]
    resp = client.post("/pilotage/diagnostic", data=data)
    assert resp.status_code == 422
    text = page_text(resp)
    assert "Répondez à toutes les questions (1 sans réponse)" in text
    assert "Avez-vous une charte d'utilisation de l'IA ?" in text
    assert 'name="q_postes" value="2" required checked' in resp.text  # answers kept


def test_roles_and_tenant_isolation(client: TestClient, personas: Personas) -> None:
    csrf = login(client, "pilotage")
    made = client.post("/pilotage/diagnostic", data=_form(csrf, 2, "Diagnostic Démoville"))
    url = made.url.path
    for who in ("agent", "referent", "comite", "dpo"):
        login(client, who)
        assert client.get("/pilotage/diagnostic").status_code == 403
        assert 'href="/pilotage/diagnostic"' not in client.get("/").text
    login(client, "olivia")  # admin of another collectivité
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/export.pdf").status_code == 404
    assert "Diagnostic Démoville" not in client.get("/pilotage/diagnostic").text


def test_grids_are_exported_and_imported(client: TestClient, personas: Personas) -> None:
    csrf = login(client, "pilotage")
    exported = client.get(f"/pilotage/diagnostic/grilles/{grid.builtin().slug}.yaml")
    assert exported.status_code == 200 and exported.text.startswith("slug: maturite-civia")
    shared = exported.text.replace("slug: maturite-civia", "slug: grille-cdg", 1)
    shared = shared.replace("title: Grille de maturité", "title: Grille du CDG", 1)
    files = {"fichier": ("grille.yaml", shared.encode(), "application/yaml")}
    ok = client.post("/pilotage/diagnostic/grilles", data={"csrf_token": csrf}, files=files)
    assert "Grille « Grille du CDG" in page_text(ok)
    assert client.get("/pilotage/diagnostic/nouveau?grille=grille-cdg").status_code == 200
    bad = {"fichier": ("grille.yaml", b"slug: x\ncouleur: bleu\n", "application/yaml")}
    refused = client.post("/pilotage/diagnostic/grilles", data={"csrf_token": csrf}, files=bad)
    assert "Grille invalide" in page_text(refused) and "couleur : clé inconnue" in page_text(
        refused
    )
    login(client, "olivia")
    assert client.get("/pilotage/diagnostic/nouveau?grille=grille-cdg").status_code == 404
