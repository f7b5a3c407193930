"""The acts pages over HTTP: import (file and form) with every refusal, search, an act's page,
drafting from acts, deletion and sharing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from civia.accounts.models import Tenant
from civia.db.engine import session_scope
from civia.documents.acts.models import Act, ActImport
from civia.governance import usecases
from civia.jobs.models import Job
from civia.jobs.worker import Worker
from civia.settings import Settings
from tests.conftest import Personas, build_app, login_as, page_text
from tests.documents.acts.conftest import BELLECOMBE, DATA, SAINT_AUBIN
from tests.documents.files import make_docx, make_xlsx

ACT_FORM = {
    "kind": "arrete",
    "objet": "Arrêté réglementant la circulation pendant la brocante du 1er mai 2025",
    "identifier": "AR-2025-007",
    "act_date": "2025-04-14",
    "coll_name": "Commune de Démoville",
    "coll_siret": "21990001500010",
    "body": "Vu le code de la route ;\n\nConsidérant l'affluence attendue ;\n\n"
    "Article 1 : La circulation est interdite place du Marché.",
}


def _upload(client: TestClient, headers: dict[str, str], name: str, data: bytes):
    return client.post(
        "/actes/importer/scdl",
        files={"fichier": (name, data, "text/csv")},
        headers=headers,
        follow_redirects=False,
    )


def _run_jobs(client: TestClient, settings: Settings) -> None:
    worker = Worker(client.app.state.sessions, settings, {})  # type: ignore[attr-defined]
    while worker.run_once("ingestion"):
        pass


def _count(client: TestClient, model: type) -> int:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def imported(client: TestClient, personas: Personas, settings: Settings) -> TestClient:
    headers = login_as(client, "referent")
    for name in (SAINT_AUBIN, BELLECOMBE):
        assert _upload(client, headers, name, (DATA / name).read_bytes()).status_code == 303
    _run_jobs(client, settings)
    client.cookies.clear()
    return client


def _act_id(client: TestClient, identifier: str) -> int:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        return int(db.scalar(select(Act.id).where(Act.identifier == identifier)))


def test_csv_upload_is_a_job_with_a_progress_bar_then_a_report(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    headers = login_as(client, "referent")
    resp = _upload(client, headers, SAINT_AUBIN, (DATA / SAINT_AUBIN).read_bytes())
    assert resp.status_code == 303 and resp.headers["location"].startswith("/actes/imports/")
    waiting = client.get(resp.headers["location"])
    assert "<progress" in waiting.text and 'hx-get="/travaux/' in waiting.text
    assert "En file d'attente" in page_text(waiting)
    _run_jobs(client, settings)
    report = page_text(client.get(resp.headers["location"]))
    assert re.search(r"Actes créés</th><td>17<", report) and "Lignes rejetées</th><td>5<" in report
    assert "<td>22</td><td>le SIRET « 2.14902734E+13 » est écrit en notation scientifique" in (
        report
    )
    assert "Encodage : Windows-1252." in report
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        kinds = set(db.scalars(select(Job.kind)))
    assert kinds == {"acts.import_scdl", "acts.embed"}  # vectors computed in the background
    assert "SAINT-AUBIN" not in report and "saint-aubin-cp1252.csv" in page_text(
        client.get("/actes/importer")
    )


@pytest.mark.parametrize(
    ("name", "data", "status", "message"),
    [
        ("actes.xlsx", make_xlsx({"Feuille": [["COLL_NOM"]]}), 415, "est un classeur"),
        ("budget.csv", b"annee;montant\n2024;12\n", 422, "ne suit pas le schéma SCDL"),
        ("vide.csv", b"", 422, "est vide"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_at_once(
    client: TestClient, personas: Personas, name: str, data: bytes, status: int, message: str
) -> None:
    headers = login_as(client, "referent")
    resp = _upload(client, headers, name, data)
    assert resp.status_code == status and message in page_text(resp)
    assert _count(client, ActImport) == 0 and _count(client, Job) == 0


def test_csrf_and_a_missing_file(client: TestClient, personas: Personas) -> None:
    login_as(client, "referent")
    resp = client.post("/actes/importer/scdl", files={"fichier": ("a.csv", b"x", "text/csv")})
    assert resp.status_code == 403
    headers = login_as(client, "referent")
    missing = client.post("/actes/importer/scdl", data={"x": "1"}, headers=headers)
    assert missing.status_code == 422 and "Choisissez un fichier CSV" in page_text(missing)


@pytest.fixture
def small_limits(tmp_path: Path, password_hash: str) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'small.db'}",
        retention_sweep_hours=0,
        jobs_in_process=False,
        acts_max_csv_mb=0.003,
        acts_max_file_mb=0.002,
    )
    client, _ = build_app(settings, password_hash)
    with client:
        yield client
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def test_too_large_uploads_are_refused_before_being_read(small_limits: TestClient) -> None:
    client = small_limits
    headers = login_as(client, "referent")
    # Over the announced-size guard (limit + 1 MB of form): refused before the form is parsed.
    huge = _upload(client, headers, "gros.csv", b"x" * 1_100_000)
    assert huge.status_code == 413 and "taille maximale" in page_text(huge)
    # Under the guard but over the CSV limit: refused while reading, nothing stored.
    big = _upload(client, headers, SAINT_AUBIN, (DATA / SAINT_AUBIN).read_bytes())
    assert big.status_code == 413 and "dépasse la taille maximale autorisée (3 ko)" in page_text(
        big
    )
    assert _count(client, ActImport) == 0
    docx = make_docx([("p", "Vu le code de la route. " * 300)])
    resp = client.post(
        "/actes/importer/acte",
        data={k: v for k, v in ACT_FORM.items() if k != "body"},
        files={"fichier": ("arrete.docx", docx, "application/octet-stream")},
        headers=headers,
    )
    assert resp.status_code == 413 and ACT_FORM["objet"] in page_text(resp)  # typed values kept


def test_one_act_from_a_form_then_refusals(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "referent")
    resp = client.post(
        "/actes/importer/acte", data=ACT_FORM, headers=headers, follow_redirects=False
    )
    assert resp.status_code == 303 and re.fullmatch(r"/actes/\d+", resp.headers["location"])
    page = page_text(client.get(resp.headers["location"]))
    assert "Considérant l'affluence attendue" in page and "Arrêté n° AR-2025-007" in page
    again = client.post("/actes/importer/acte", data=ACT_FORM, headers=headers)
    assert again.status_code == 409 and "déjà importé" in page_text(again)
    assert f'href="{resp.headers["location"]}"' in again.text
    bad = client.post(
        "/actes/importer/acte",
        data={**ACT_FORM, "identifier": "AR-2025-008", "act_date": "14/13/2025", "body": ""},
        headers=headers,
    )
    text = page_text(bad)
    assert bad.status_code == 422 and "n'est pas une date valide" in text
    assert "Joignez le fichier de l'acte ou collez son texte." in text
    assert 'value="AR-2025-008"' in bad.text and 'aria-invalid="true"' in bad.text
    image = client.post(
        "/actes/importer/acte",
        data={**ACT_FORM, "identifier": "AR-2025-009"},
        files={"fichier": ("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50, "image/png")},
        headers=headers,
    )
    # an image is read by OCR like a scanned PDF; this one is broken: refused in French
    assert image.status_code == 422 and "L'image « scan.png » est endommagée" in page_text(image)


def test_search_page_with_filters_sort_and_errors(imported: TestClient) -> None:
    client = imported
    login_as(client, "agent")
    all_acts = page_text(client.get("/actes"))
    assert "25 actes" in all_acts and "Commune de Bellecombe (5)" in all_acts
    assert "Finances locales" in all_acts  # thèmes grouped by ACTES level 1
    brocante = client.get("/actes", params={"q": "brocante", "type": "arrete"})
    text = page_text(brocante)
    assert "2 actes contenant ces mots" in text and text.count('class="act-item"') == 2
    assert 'value="arrete" checked' in brocante.text
    by_date = page_text(client.get("/actes", params={"q": "brocante", "tri": "date"}))
    assert by_date.index("2024/20") < by_date.index("AR-2023-102") or (
        by_date.index("brocante et du marché") < by_date.index("brocante annuelle")
    )
    paged = client.get("/actes", params={"type": "deliberation", "page": "2"})
    assert paged.status_code == 200 and 'aria-current="page">2<' in paged.text
    assert (
        "22 actes — page 2 sur 2" in page_text(paged) and paged.text.count('class="act-item"') == 2
    )
    assert "type=deliberation&amp;page=1" in paged.text  # the filters follow the pages
    beyond = page_text(client.get("/actes", params={"type": "deliberation", "page": "9"}))
    assert "Il n'y a pas de page 9" in beyond
    bad = client.get("/actes", params={"q": "cantine", "du": "2024-13-40"})
    assert bad.status_code == 422 and "n'est pas une date" in page_text(bad)
    assert 'value="cantine"' in bad.text  # what was typed stays in the form
    stop = client.get("/actes", params={"q": "le la de"})
    assert stop.status_code == 422 and "mots trop courants" in page_text(stop)


def test_act_page_similar_acts_and_isolation(imported: TestClient, personas: Personas) -> None:
    client = imported
    act_id = _act_id(client, "AR-2024-031")
    login_as(client, "agent")
    page = client.get(f"/actes/{act_id}")
    text = page_text(page)
    assert "Actes similaires" in text and "brocante annuelle du 1er mai 2023" in text
    assert 'href="https://www.saint-aubin-sur-loire.fr/deliberations/AR-2024-031.pdf"' in page.text
    assert "Contrôle de légalité" in text and "Supprimer cet acte" not in text
    client.cookies.clear()
    login_as(client, "carol")  # another collectivité
    assert client.get(f"/actes/{act_id}").status_code == 404
    assert "Aucun acte n'a encore été importé" in page_text(client.get("/actes"))


def test_drafting_opens_the_prefilled_arrete_form_or_a_deliberation_request(
    imported: TestClient, personas: Personas
) -> None:
    client = imported
    broc, old = _act_id(client, "AR-2024-031"), _act_id(client, "AR-2023-102")
    headers = login_as(client, "agent")
    form = client.post(
        "/actes/rediger", data={"ids": [str(broc), str(old)], "cible": "arrete"}, headers=headers
    )
    text = page_text(form)
    assert form.status_code == 200 and 'action="/assistants/arrete"' in form.text
    assert re.search(r'id="f-objet" name="objet" value="Arrêté portant réglementation', text)
    assert "- Arrêté n° AR-2023-102 du 10 avril 2023" in text
    delib = client.post(
        "/actes/rediger", data={"ids": [str(_act_id(client, "2023-041"))], "cible": "deliberation"},
        headers=headers,
    )  # fmt: skip
    text = page_text(delib)
    assert 'action="/conversations/nouvelle"' in delib.text and 'name="prefill"' in delib.text
    assert "Rédige un projet de délibération pour Commune de Démoville" in text
    assert "Tarifs de la cantine scolaire pour l'année 2024" in text
    assert (
        client.post("/actes/rediger", data={"cible": "arrete"}, headers=headers).status_code == 422
    )
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        usecases.suspend_assistant(
            db, tenant_id=personas.tenant.id, actor=None, assistant_id="arrete", reason="test"
        )
        db.commit()
    blocked = client.post(
        "/actes/rediger", data={"ids": [str(broc)], "cible": "arrete"}, headers=headers
    )
    assert blocked.status_code == 403
    client.cookies.clear()
    carol = login_as(client, "carol")
    other = client.post(
        "/actes/rediger", data={"ids": [str(broc)], "cible": "arrete"}, headers=carol
    )
    assert other.status_code == 404


def test_delete_and_share(imported: TestClient, personas: Personas) -> None:
    client = imported
    act_id = _act_id(client, "D2024-05")
    headers = login_as(client, "admin")
    page = client.get("/actes/partage")
    assert "Autreville" not in page.text and "ne participe pas" in page_text(page)
    client.post("/admin/mutualisation", data={"pooling": "oui"}, headers=headers)
    assert "Autreville" not in client.get("/actes/partage").text  # Autreville did not opt in
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        other = db.get(Tenant, personas.other_tenant.id)
        assert other is not None
        other.pooling = True
    shared = client.post(
        "/actes/partage", data={"lecteurs": str(personas.other_tenant.id)}, headers=headers
    )
    assert shared.status_code == 200 and "Partage enregistré." in page_text(shared)
    assert re.search(rf'value="{personas.other_tenant.id}" checked', shared.text)
    client.cookies.clear()
    carol = login_as(client, "carol")
    page = client.get(f"/actes/{act_id}")
    assert page.status_code == 200 and "partagé par une autre collectivité" in page_text(page)
    assert "Supprimer cet acte" not in page_text(page)
    client.cookies.clear()
    olivia = login_as(client, "olivia")  # admin of the reading tenant: no deletion
    assert client.post(f"/actes/{act_id}/supprimer", headers=olivia).status_code == 404
    client.cookies.clear()
    referent = login_as(client, "referent")
    gone = client.post(f"/actes/{act_id}/supprimer", headers=referent, follow_redirects=False)
    assert gone.status_code == 303 and client.get(f"/actes/{act_id}").status_code == 404
    assert _count(client, Act) == 24
    assert carol  # carol's session was used above


def test_the_empty_state_says_one_thing(client: TestClient) -> None:
    login_as(client, "agent")
    text = page_text(client.get("/actes"))
    assert "Aucun acte n'a encore été importé" in text
    assert "0 acte" not in text and "Aucun acte ne correspond" not in text
    assert 'role="search"' not in text  # nothing to search in yet
