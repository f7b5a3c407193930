"""Uploading into a collection: streamed, limited, one analysis job per file, each bad file
reported in French while the others go on."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from civia.documents import storage
from civia.documents.models import Chunk, Document
from civia.jobs.models import Job
from civia.settings import Settings
from tests.conftest import Personas, login_as, page_text
from tests.documents.files import encrypt_pdf, make_pdf, make_zip_bomb
from tests.documents.web import new_collection, run_jobs, upload

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HOURS = "La déchèterie municipale est ouverte le samedi de 9 heures à 18 heures."


def _documents(client: TestClient) -> dict[str, Document]:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        return {d.filename: d for d in db.scalars(select(Document))}


def test_upload_happy_path_stores_file_and_indexes_in_background(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    pdf = make_pdf([["Horaires", HOURS], ["Tarifs", "Le dépôt est gratuit pour les habitants."]])
    resp = upload(client, headers, cid, [("horaires.pdf", pdf, PDF),
                                         ("note.txt", b"Note de service.", "text/plain")])  # fmt: skip
    assert resp.status_code == 200 and "reçu, son analyse est en file d'attente" in page_text(resp)
    docs = _documents(client)
    assert {d.status for d in docs.values()} == {"pending"}
    stored = storage.path_of(
        settings.data_dir, docs["horaires.pdf"].tenant_id, docs["horaires.pdf"].id
    )
    assert stored.read_bytes() == pdf  # the original is kept for download and re-indexing
    assert run_jobs(client, settings) == 2
    docs = _documents(client)
    assert {d.status for d in docs.values()} == {"ready"}
    assert docs["horaires.pdf"].pages == 2
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        jobs = db.scalars(select(Job)).all()
        assert {j.status for j in jobs} == {"done"} and all(j.progress == 1.0 for j in jobs)
        vectors = db.scalar(select(func.count(Chunk.id)).where(Chunk.embedding.is_not(None)))
        assert vectors == db.scalar(select(func.count(Chunk.id))) > 0
    page = page_text(client.get(f"/documents/collections/{cid}"))
    assert "horaires.pdf" in page and "Prêt" in page
    download = client.get(f"/documents/{docs['horaires.pdf'].id}/original")
    assert download.content == pdf and "attachment" in download.headers["content-disposition"]


def test_each_bad_file_gets_its_french_message_and_the_others_go_on(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    good = make_pdf([[HOURS]])
    cp1252 = "Procès-verbal de la séance : l'élu délégué présente le budget.".encode("cp1252")
    files = [
        ("bon.pdf", good, PDF),
        ("protege.pdf", encrypt_pdf(make_pdf([["Confidentiel"]])), PDF),
        ("casse.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", PDF),
        ("bombe.docx", make_zip_bomb(size=400_000_000), DOCX),
        ("ancien.txt", cp1252, "text/plain"),
        ("vide.txt", b"", "text/plain"),
        ("image.exe", b"MZ\x90\x00", "application/octet-stream"),
    ]
    resp = upload(client, headers, cid, files)
    text = page_text(resp)
    assert resp.status_code == 200
    assert "« vide.txt » est vide" in text
    assert "format du fichier « image.exe » n'est pas pris en charge" in text
    run_jobs(client, settings)
    docs = _documents(client)
    assert set(docs) == {"bon.pdf", "protege.pdf", "casse.pdf", "bombe.docx", "ancien.txt"}
    assert docs["bon.pdf"].status == docs["ancien.txt"].status == "ready"
    assert "protégé par un mot de passe" in docs["protege.pdf"].error
    assert "endommagé ou illisible" in docs["casse.pdf"].error
    assert "fichier piégé" in docs["bombe.docx"].error
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        errors = [d.id for d in docs.values() if d.status == "error"]
        assert db.scalar(select(func.count(Chunk.id)).where(Chunk.document_id.in_(errors))) == 0
        failed = db.scalars(select(Job).where(Job.status == "failed")).all()
        assert len(failed) == 3 and all(j.error for j in failed)  # shown on the progress bars
    page = page_text(client.get(f"/documents/collections/{cid}"))
    assert "protégé par un mot de passe" in page and "Erreur" in page
    doc = client.get(f"/documents/{docs['ancien.txt'].id}")
    assert "Procès-verbal de la séance : l'élu délégué" in page_text(doc)


def test_over_limit_file_is_refused_while_streaming_with_413(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    settings.max_upload_mb = 0.05  # 50 kB
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    big = b"%PDF-1.4\n" + b"0" * 200_000
    resp = upload(client, headers, cid, [("gros.pdf", big, PDF)])
    assert resp.status_code == 413
    assert "dépasse la taille maximale autorisée (50 ko)" in page_text(resp)
    assert _documents(client) == {}
    assert not list((settings.data_dir / "documents" / "incoming").glob("*"))  # nothing kept
    mixed = upload(
        client, headers, cid, [("gros.pdf", big, PDF), ("petit.txt", b"Petit.", "text/plain")]
    )
    assert mixed.status_code == 200 and set(_documents(client)) == {"petit.txt"}
    huge = client.post(
        f"/documents/collections/{cid}/depot",
        content=b"x" * 10,
        headers={
            **headers,
            "Content-Length": str(10**12),
            "Content-Type": "multipart/form-data; boundary=x",
        },
    )
    assert huge.status_code == 413  # refused from the declared length, before reading


def test_duplicate_is_reported_for_that_file_only(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    first = upload(client, headers, cid, [("a.txt", b"Arrete du maire.", "text/plain")])
    assert first.status_code == 200
    again = upload(client, headers, cid, [("copie.txt", b"Arrete du maire.", "text/plain")])
    assert again.status_code == 409 and "déjà présent dans cette collection" in page_text(again)
    mixed = upload(client, headers, cid, [("copie.txt", b"Arrete du maire.", "text/plain"),
                                          ("autre.txt", b"Autre texte.", "text/plain")])  # fmt: skip
    assert mixed.status_code == 200 and set(_documents(client)) == {"a.txt", "autre.txt"}
    same_upload = upload(client, headers, cid, [("x.txt", b"Deux fois.", "text/plain"),
                                                ("y.txt", b"Deux fois.", "text/plain")])  # fmt: skip
    assert "déjà présent" in page_text(same_upload) and "x.txt" in _documents(client)


def test_upload_needs_csrf_before_any_file_and_write_rights(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    resp = client.post(
        f"/documents/collections/{cid}/depot",
        files=[("files", ("a.txt", b"Texte.", "text/plain"))],
    )
    assert resp.status_code == 403 and _documents(client) == {}
    assert not list((settings.data_dir / "documents" / "incoming").glob("*"))
    by_header = client.post(
        f"/documents/collections/{cid}/depot",
        files=[("files", ("a.txt", b"Texte.", "text/plain"))],
        headers=headers,
    )
    assert by_header.status_code == 200
    client.cookies.clear()
    bob = login_as(client, "bob")  # another user's personal collection does not exist for him
    assert upload(client, bob, cid, [("b.txt", b"Intrus.", "text/plain")]).status_code == 404
    assert set(_documents(client)) == {"a.txt"}


def test_leaving_and_coming_back_shows_progress_then_ready(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    upload(client, headers, cid, [("a.txt", b"Texte du document.", "text/plain")])
    page = client.get(f"/documents/collections/{cid}")
    assert "<progress" in page.text and 'hx-trigger="every 2s' in page.text
    assert "En file d'attente" in page_text(page)
    jobs = page_text(client.get("/travaux"))
    assert "Analyse du document" in jobs and "a.txt" in jobs
    run_jobs(client, settings)
    again = client.get(f"/documents/collections/{cid}", headers={"HX-Request": "true"})
    assert "Prêt" in page_text(again) and "every 2s" not in again.text


def test_cancelling_a_queued_analysis_marks_the_document(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    upload(client, headers, cid, [("a.txt", b"Texte a analyser.", "text/plain")])
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        job = db.scalar(select(Job))
        assert job is not None
    resp = client.post(f"/travaux/{job.id}/annuler", headers=headers, follow_redirects=False)
    assert resp.status_code == 303
    assert run_jobs(client, settings) == 0  # nothing left to run
    page = page_text(client.get(f"/documents/collections/{cid}"))
    assert "Analyse annulée à votre demande" in page and "Erreur" in page
    again = client.post(f"/documents/{_documents(client)['a.txt'].id}/relancer", headers=headers)
    assert again.status_code == 200 and run_jobs(client, settings) == 1
    assert _documents(client)["a.txt"].status == "ready"
