"""Collections and documents pages: creation rules, rename/delete with confirmation, document
view with passage anchors, deletion of files with their document."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.documents import storage
from civia.documents.models import Collection, Document
from civia.settings import Settings
from tests.conftest import Personas, login_as, page_text
from tests.documents.files import make_pdf
from tests.documents.web import new_collection, run_jobs, upload


def test_scopes_offered_and_enforced_by_role(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    form = page_text(client.get("/documents"))
    assert 'value="personal"' in form and 'value="service"' not in form
    refused = client.post("/documents/collections", data={"name": "Service", "scope": "service"},
                          headers=headers)  # fmt: skip
    assert refused.status_code == 403 and "référent" in page_text(refused)
    assert 'value="Service"' in refused.text  # what was typed comes back in the form
    client.cookies.clear()
    referent = login_as(client, "referent")
    service = new_collection(client, referent, "Guides du service", "service")
    tenant = new_collection(client, referent, "Délibérations", "tenant")
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        rows = {c.id: c for c in db.scalars(select(Collection))}
    assert rows[service].service_id == personas.service_a.id and rows[tenant].scope == "tenant"
    dup = client.post("/documents/collections", data={"name": "délibérations", "scope": "tenant"},
                      headers=referent)  # fmt: skip
    assert dup.status_code == 409 and "existe déjà" in page_text(dup)
    empty = client.post("/documents/collections", data={"name": "  ", "scope": "personal"},
                        headers=referent)  # fmt: skip
    assert empty.status_code == 422 and "Donnez un nom" in page_text(empty)


def test_who_sees_which_collection(client: TestClient, personas: Personas) -> None:
    referent = login_as(client, "referent")
    service = new_collection(client, referent, "Population interne", "service")
    tenant = new_collection(client, referent, "Toute la commune", "tenant")
    personal = new_collection(client, referent, "Brouillons de Romain", "personal")
    client.cookies.clear()
    login_as(client, "agent")  # same service
    listing = page_text(client.get("/documents"))
    assert "Population interne" in listing and "Toute la commune" in listing
    assert "Brouillons de Romain" not in listing
    assert client.get(f"/documents/collections/{personal}").status_code == 404
    client.cookies.clear()
    login_as(client, "bob")  # another service
    listing = page_text(client.get("/documents"))
    assert "Toute la commune" in listing and "Population interne" not in listing
    assert client.get(f"/documents/collections/{service}").status_code == 404
    client.cookies.clear()
    login_as(client, "olivia")  # admin of another collectivité
    assert client.get(f"/documents/collections/{tenant}").status_code == 404


def test_rename_and_delete_need_a_manager_and_confirmation(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    referent = login_as(client, "referent")
    cid = new_collection(client, referent, "Commune", "tenant")
    upload(client, referent, cid, [("a.txt", b"Texte a.", "text/plain")])
    run_jobs(client, settings)
    client.cookies.clear()
    agent = login_as(client, "agent")  # may read, not manage
    page = page_text(client.get(f"/documents/collections/{cid}"))
    assert "Gérer la collection" not in page and "Déposer des documents" not in page
    assert client.post(f"/documents/collections/{cid}/renommer", data={"name": "X"},
                       headers=agent).status_code == 403  # fmt: skip
    assert client.post(f"/documents/collections/{cid}/supprimer", data={"confirm": "oui"},
                       headers=agent).status_code == 403  # fmt: skip
    client.cookies.clear()
    referent = login_as(client, "referent")
    resp = client.post(f"/documents/collections/{cid}/renommer", data={"name": "Commune 2026"},
                       headers=referent)  # fmt: skip
    assert resp.status_code == 200 and "Commune 2026" in page_text(resp)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        doc = db.scalar(select(Document))
        assert doc is not None
    path = storage.path_of(settings.data_dir, doc.tenant_id, doc.id)
    assert path.exists()
    unconfirmed = client.post(f"/documents/collections/{cid}/supprimer", headers=referent)
    assert unconfirmed.status_code == 422 and "Cochez la case" in page_text(unconfirmed)
    assert path.exists()
    done = client.post(f"/documents/collections/{cid}/supprimer", data={"confirm": "oui"},
                       headers=referent, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and not path.exists()
    assert client.get(f"/documents/collections/{cid}").status_code == 404


def test_document_view_has_anchored_passages_and_deletion_removes_the_file(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    filler = "La mairie accueille le public avec ou sans rendez-vous selon les démarches. " * 4
    pdf = make_pdf([["Horaires de la mairie : du lundi au vendredi.", filler],
                    ["Le marché se tient le mercredi matin sur la place.", filler]], title="Guide")  # fmt: skip
    upload(client, headers, cid, [("guide.pdf", pdf, "application/pdf")])
    run_jobs(client, settings)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        doc = db.scalar(select(Document))
        assert doc is not None
    page = page_text(client.get(f"/documents/{doc.id}"))
    assert "Guide" in page and 'id="passage-0"' in page and 'id="passage-1"' in page
    assert re.search(r"Passage 2 — p\. 2", page) and "mercredi matin" in page
    assert f"/conversations/nouvelle?document={doc.id}" in page
    path = storage.path_of(settings.data_dir, doc.tenant_id, doc.id)
    client.cookies.clear()
    bob = login_as(client, "bob")
    assert client.post(f"/documents/{doc.id}/supprimer", headers=bob).status_code == 404
    client.cookies.clear()
    headers = login_as(client, "agent")
    resp = client.post(f"/documents/{doc.id}/supprimer", headers=headers, follow_redirects=False)
    assert resp.status_code == 303 and not path.exists()
    assert client.get(f"/documents/{doc.id}").status_code == 404


def test_reanalyse_from_the_stored_file(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    upload(client, headers, cid, [("a.txt", b"Premier texte.", "text/plain")])
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        doc = db.scalar(select(Document))
        assert doc is not None
    busy = client.post(f"/documents/{doc.id}/relancer", headers=headers)
    assert busy.status_code == 409  # still queued
    run_jobs(client, settings)
    again = client.post(f"/documents/{doc.id}/relancer", headers=headers, follow_redirects=False)
    assert again.status_code == 303
    assert run_jobs(client, settings) == 1
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        doc = db.get(Document, doc.id)
        assert doc is not None and doc.status == "ready" and doc.chunk_count == 1


def test_the_upload_report_follows_the_analysis_outcome(
    client: TestClient, settings: Settings
) -> None:
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    broken = b"%PDF-1.4\n1 0 obj garbage \x00\x01 trailer"
    sent = upload(client, headers, cid, [("casse.pdf", broken, "application/pdf")])
    document_id = int(re.search(r'id="report-(\d+)"', sent.text).group(1))  # type: ignore[union-attr]
    assert "reçu" in page_text(sent)
    run_jobs(client, settings)
    refreshed = client.get(f"/documents/collections/{cid}", headers={"hx-request": "true"})
    report = re.search(
        rf'<li id="report-{document_id}" hx-swap-oob="true" class="(\w+)">(.*?)</li>',
        page_text(refreshed),
        re.S,
    )
    assert report and report.group(1) == "error" and "endommagé" in report.group(2)
    full_page = client.get(f"/documents/collections/{cid}")
    assert "hx-swap-oob" not in full_page.text  # only the live refresh carries the update
