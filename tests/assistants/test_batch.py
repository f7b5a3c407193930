"""Tri des demandes, batch mode: messy CSV files in, a job with a progress bar, every row
classified into one of the collectivité's services, corrected by the agent, CSV/XLSX out."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from fastapi.testclient import TestClient

from civia.assistants import batch
from civia.assistants.models import AssistantRun
from civia.jobs.worker import Worker
from tests.conftest import Personas, login_as, page_text

REQUESTS = [
    ("D-101", "Un lampadaire est tombé devant l'école, c'est dangereux pour les enfants."),
    ("D-102", "Je voudrais un extrait d'acte de naissance pour mon fils."),
    ("D-103", "Quand passe la balayeuse rue des Lilas ? Les trottoirs sont sales."),
]


def _csv(sep: str, encoding: str, *, header: bool, ids: bool) -> bytes:
    lines = [f"numero{sep}demande"] if header and ids else (["demande"] if header else [])
    for ident, text in REQUESTS:
        cell = f'"{text}"' if sep in text else text
        lines.append(f"{ident}{sep}{cell}" if ids else cell)
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.mark.parametrize(
    ("sep", "encoding", "header", "ids"),
    [(";", "cp1252", True, True), (",", "utf-8", False, True), (";", "utf-8-sig", True, False),
     (",", "cp1252", False, False)],
)  # fmt: skip
def test_messy_csv_files_are_read(sep: str, encoding: str, header: bool, ids: bool) -> None:
    lot = batch.read_requests(_csv(sep, encoding, header=header, ids=ids), "demandes.csv")
    assert len(lot["rows"]) == 3 and lot["has_header"] is header
    assert lot["id_column"] == (0 if ids else None)
    texts = [batch.row_text(lot, row) for row in lot["rows"]]
    assert "acte de naissance" in texts[1] and "D-102" not in texts[1]
    assert "école, c'est dangereux" in texts[0]  # accents survive Windows-1252


@pytest.mark.parametrize(
    ("data", "words"),
    [(b"", "vide"), (b" ; \r\n;;\r\n", "aucune ligne"),
     (("x\n" * 400).encode(), "au plus 300")],
)  # fmt: skip
def test_bad_batches_are_explained(
    client: TestClient, personas: Personas, data: bytes, words: str
) -> None:
    headers = login_as(client, "agent")
    resp = client.post("/assistants/tri-demandes/lot", files={"lot": ("d.csv", data, "text/csv")},
                       headers=headers)  # fmt: skip
    assert resp.status_code == 422 and words in page_text(resp)


def test_batch_only_where_offered_and_owner_only(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    resp = client.post("/assistants/courrier/lot", files={"lot": ("d.csv", b"a\nb\n", "text/csv")},
                       headers=headers)  # fmt: skip
    assert resp.status_code == 404
    assert 'action="/assistants/tri-demandes/lot"' in client.get("/assistants/tri-demandes").text


@pytest.mark.model
def test_a_batch_is_classified_reviewed_and_downloaded(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "agent")
    data = _csv(";", "cp1252", header=True, ids=True)
    resp = client.post("/assistants/tri-demandes/lot", files={"lot": ("demandes.csv", data, "text/csv")},
                       headers=headers, follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303, page_text(resp)[-800:]
    url = resp.headers["location"]
    assert "<progress" in client.get(url).text
    app = client.app
    assert Worker(app.state.sessions, app.state.settings, {}).run_once("assistants")  # type: ignore[attr-defined]
    with app.state.sessions() as db:  # type: ignore[attr-defined]
        run = db.get(AssistantRun, int(url.rsplit("/", 1)[1]))
        assert run.status == "draft", run.error
        results = run.data["results"]
    assert len(results) == 3
    assert all(r["service"] in ("Population", "Urbanisme") for r in results), results  # enum
    assert all(r["urgence"] in ("basse", "normale", "haute") for r in results)
    page = page_text(client.get(url))
    assert "3 demandes classées" in page and 'name="r0.service"' in page
    # the agent corrects row 2, an invalid value is refused, then validates
    bad = client.post(f"{url}/lot", data={"r1.urgence": "critique"}, headers=headers)
    assert bad.status_code == 422 and "Ligne 2" in page_text(bad)
    ok = client.post(f"{url}/lot", data={"r1.service": "Population", "r1.urgence": "basse",
                                         "action": "valider"}, headers=headers)  # fmt: skip
    assert "Lot validé" in page_text(ok)
    text = client.get(f"{url}/export/csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["numero", "demande", "Justification", "Service", "Catégorie", "Urgence"]
    assert rows[2][:2] == ["D-102", REQUESTS[1][1]]
    assert (rows[2][3], rows[2][5]) == ("Population", "basse")  # the agent's corrections
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{url}/export/xlsx").content))
    sheet = book[book.sheetnames[0]]
    assert sheet["A2"].value == "D-101" and sheet["D3"].value == "Population"
    assert "À propos" in book.sheetnames
