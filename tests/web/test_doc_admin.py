"""Admins: index size per collection and re-indexing as a background job with progress."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from civia.documents.models import Chunk, Document
from civia.jobs.models import Job
from civia.settings import Settings
from tests.conftest import Personas, login_as, page_text
from tests.documents.files import encrypt_pdf, make_pdf
from tests.documents.web import new_collection, run_jobs, upload

TEXT = "Le conseil municipal adopte le budget primitif de la commune pour l'année. " * 40


def test_index_sizes_per_collection(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    admin = login_as(client, "admin")
    cid = new_collection(client, admin, "Délibérations", "tenant")
    upload(client, admin, cid, [("budget.txt", TEXT.encode(), "text/plain"),
                                ("verrou.pdf", encrypt_pdf(make_pdf([["x"]])), "application/pdf")])  # fmt: skip
    run_jobs(client, settings)
    page = page_text(client.get("/admin/index"))
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        texts = [c.text for c in db.scalars(select(Chunk))]
        size = sum(d.size_bytes for d in db.scalars(select(Document)))
    row = re.search(r"<td>Délibérations<br>.*?</tr>", page, re.S)
    assert row, page
    cells = re.findall(r"<td>([^<]*)</td>", row.group())
    characters = f"{sum(len(t) for t in texts):,}".replace(",", " ")
    # documents, in error, passages, vectors, characters
    assert cells[:5] == ["2", "1", str(len(texts)), str(len(texts)), characters]
    assert f"{size / 1e6:.1f} Mo" in row.group()


def test_personal_collection_names_stay_private(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    agent = login_as(client, "agent")
    cid = new_collection(client, agent, "Dossier médical de ma mère", "personal")
    upload(client, agent, cid, [("note.txt", TEXT.encode(), "text/plain")])
    login_as(client, "admin")
    page = page_text(client.get("/admin/index"))
    assert "Dossier médical" not in page
    assert f"Collection personnelle n° {cid}" in page
    assert f'action="/admin/index/{cid}/reindexer"' in page  # still sized and re-indexable


def test_reindex_runs_as_a_job_and_restores_the_index(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    admin = login_as(client, "admin")
    cid = new_collection(client, admin, "Délibérations", "tenant")
    upload(client, admin, cid, [("budget.txt", TEXT.encode(), "text/plain")])
    run_jobs(client, settings)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        db.execute(update(Chunk).values(search_text="", embedding=None))  # a damaged index
        db.commit()
    resp = client.post(f"/admin/index/{cid}/reindexer", headers=admin, follow_redirects=False)
    assert resp.status_code == 303
    again = client.post(f"/admin/index/{cid}/reindexer", headers=admin)
    assert again.status_code == 409 and "déjà en cours" in page_text(again)
    page = page_text(client.get("/admin/index"))
    assert "Réindexation" in page and "<progress" in page
    assert run_jobs(client, settings) == 1
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        chunks = db.scalars(select(Chunk)).all()
        assert chunks and all(c.search_text and c.embedding for c in chunks)
        job = db.scalar(select(Job).where(Job.kind == "documents.reindex"))
        assert job is not None and job.status == "done" and job.progress == 1.0
        assert job.result == {"chunks": len(chunks), "vectors": len(chunks), "url": "/admin/index"}
    search = client.post("/conversations", data={"content": "budget primitif", "collection_id": str(cid)},
                         headers=admin)  # fmt: skip
    assert search.status_code == 200
