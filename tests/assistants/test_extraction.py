"""Extraction de données through the web: upload, tables with pages, choose, correct, validate,
download XLSX (one sheet per table, sources, transparency) and CSV; bad files; isolation."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from fastapi.testclient import TestClient

from civia.assistants.models import AssistantRun
from civia.plugins.registries import Governance
from tests.conftest import Personas, login_as, page_text
from tests.documents import table_files as files

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload(client: TestClient, headers: dict[str, str], data: bytes, name: str, wish: str = ""):
    return client.post(
        "/assistants/extraction-donnees",
        data={"besoin": wish},
        files={"fichier": (name, data, "application/octet-stream")},
        headers=headers,
        follow_redirects=False,
    )


def _run(client: TestClient, run_id: int) -> AssistantRun:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        run = db.get(AssistantRun, run_id)
        assert run is not None
        db.expunge(run)
        return run


def test_pdf_tables_chosen_corrected_validated_and_exported(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "agent")
    resp = _upload(
        client, headers, files.budget_pdf(), "rapport.pdf", wish="effectifs des services"
    )
    assert resp.status_code == 303, resp.text
    url = resp.headers["location"]
    run_id = int(url.rsplit("/", 1)[1])
    page = page_text(client.get(url))
    assert "2 tableaux trouvés" in page and "Tableau 1 — p. 2 : Budget primitif 2026" in page
    assert "Présélectionnés d'après votre recherche : tableau n° 2" in page
    assert [t["selected"] for t in _run(client, run_id).data["tables"]] == [False, True]

    client.post(f"/resultats/{run_id}/tableaux", data={"garder": ["1", "2"]}, headers=headers)
    edit = client.get(f"/resultats/{run_id}/tableaux/1")
    assert 'name="c1-2" value="1 234 567,89"' in edit.text and "Ligne 2, colonne 3" in page_text(
        edit
    )
    client.post(f"/resultats/{run_id}/tableaux/1", data={"c1-2": "1 234 568,00"}, headers=headers)
    resp = client.post(
        f"/resultats/{run_id}/tableaux", data={"garder": ["1", "2"], "action": "valider"},
        headers=headers,
    )  # fmt: skip
    assert "Tableaux validés" in page_text(resp)
    run = _run(client, run_id)
    assert run.status == "validated" and "1 234 568,00" in run.final_text

    xlsx = client.get(f"/resultats/{run_id}/export/xlsx")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) == 4 and book.sheetnames[-2:] == ["Sources", "À propos"]
    first = book[book.sheetnames[0]]
    assert first["A1"].value == "Chapitre" and first["C2"].value == pytest.approx(1234568.0)
    sources = [[c.value for c in row] for row in book["Sources"].iter_rows()]
    assert sources[1] == [1, "rapport.pdf", "p. 2", "Budget primitif 2026 - fonctionnement"]
    about = " ".join(str(c.value) for row in book["À propos"].iter_rows() for c in row)
    assert "intelligence artificielle" in about and "Validé par Agent" in about

    text = client.get(f"/resultats/{run_id}/export/csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["011", "Charges à caractère général", "1 234 568,00"] in rows
    assert ["Voirie", "12"] in rows and rows[-1][0].startswith("# ")
    # validated: nothing changes any more
    again = client.post(f"/resultats/{run_id}/tableaux/1", data={"c1-2": "0"}, headers=headers)
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (files.text_only_pdf(), "note.pdf", "Aucun tableau n'a été trouvé dans « note.pdf »"),
        (files.scanned_pdf(), "scan.pdf", "document numérisé (scan)"),
        (files.corrupted_docx(), "abime.docx", "« abime.docx » est endommagé"),
        (b"", "vide.pdf", "est vide"),
        (b"GIF89a....", "image.gif", "PDF, un document Word"),
    ],
)
def test_bad_files_keep_the_form_with_a_precise_message(
    client: TestClient, personas: Personas, data: bytes, name: str, words: str
) -> None:
    headers = login_as(client, "agent")
    resp = _upload(client, headers, data, name, wish="les montants du budget")
    assert resp.status_code == 422
    text = page_text(resp)
    assert words in text and "les montants du budget" in text  # what was typed stays
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        assert db.query(AssistantRun).count() == 0


def test_docx_and_xlsx_tables_say_their_page_and_sheet(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "agent")
    url = _upload(client, headers, files.budget_docx(), "rapport.docx").headers["location"]
    page = page_text(client.get(url))
    assert "Tableau 2 — p. 2 : Effectifs par service" in page
    url = _upload(client, headers, files.budget_xlsx(), "budget.xlsx").headers["location"]
    assert "Tableau 1 — feuille « Budget » : Budget primitif 2026" in page_text(client.get(url))


def test_oversized_upload_is_refused_before_it_is_read(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "agent")
    client.app.state.settings.assistant_upload_max_mb = 1  # type: ignore[attr-defined]
    big = b"%PDF-1.4\n" + b"0" * 3_000_000
    resp = _upload(client, headers, big, "gros.pdf")
    assert resp.status_code == 413 and "dépasse la taille maximale" in page_text(resp)


def test_others_cannot_see_or_change_the_tables(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    run_id = int(
        _upload(client, headers, files.budget_pdf(), "r.pdf").headers["location"].rsplit("/", 1)[1]
    )
    for intruder in ("bob", "admin", "carol"):
        other = TestClient(client.app)
        h = login_as(other, intruder)
        assert other.get(f"/resultats/{run_id}/tableaux/1").status_code == 404
        assert (
            other.post(f"/resultats/{run_id}/tableaux", data={"garder": "1"}, headers=h).status_code
            == 404
        )
        assert other.get(f"/resultats/{run_id}/export/xlsx").status_code == 404
    assert (
        client.post(f"/resultats/{run_id}/tableaux", data={"garder": "1"}).status_code == 403
    )  # CSRF


def test_batch_and_table_routes_need_login_and_csrf(client: TestClient, personas: Personas) -> None:
    for path in ("/assistants/tri-demandes/lot", "/resultats/1/lot", "/resultats/1/tableaux",
                 "/resultats/1/tableaux/1"):  # fmt: skip
        resp = client.post(path, follow_redirects=False)
        assert resp.status_code == 303 and resp.headers["location"].startswith("/connexion")
    login_as(client, "agent")
    assert client.post("/assistants/tri-demandes/lot").status_code == 403  # no CSRF token
    assert client.get("/resultats/999/tableaux/1").status_code == 404


def test_the_user_data_export_carries_the_files_read(
    client: TestClient, personas: Personas, hooks: Governance
) -> None:
    from civia.governance import dsr

    headers = login_as(client, "agent")
    _upload(client, headers, files.budget_pdf(), "rapport.pdf")
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        from civia.accounts.models import User

        export = dsr.export_user(db, db.get(User, personas["agent"].id), hooks=hooks)
    carried = export["fichiers_des_resultats_d_assistants"]
    assert carried[0]["pieces"]["fichier"]["filename"] == "rapport.pdf"
