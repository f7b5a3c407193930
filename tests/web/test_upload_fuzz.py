"""Upload fuzzing: malformed, truncated, bit-flipped, polyglot and oversized files through the
document and recording upload paths. Every file gets a French answer (a 4xx, or a document in
error with its reason), the worker survives and goes on, nothing half-written remains."""

from __future__ import annotations

import random
import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from civia.documents.models import Chunk, Document
from civia.jobs.models import Job
from civia.settings import Settings
from tests.conftest import Personas, login_as, page_text
from tests.documents.files import make_docx, make_odt, make_pdf, make_xlsx
from tests.documents.web import new_collection, run_jobs, upload

TEXT = "Le conseil municipal approuve le budget primitif de la commune. "
FRENCH = re.compile(r"[àâçéèêëîïôûùœ]|fichier|format", re.IGNORECASE)


def _seeds() -> dict[str, bytes]:
    return {
        "pdf": make_pdf([[TEXT * 5], [TEXT * 3]]),
        "docx": make_docx([("Heading 1", "Budget"), ("Normal", TEXT * 4)]),
        "odt": make_odt([("Heading 1", "Budget"), ("Normal", TEXT * 4)]),
        "xlsx": make_xlsx({"Budget": [["Poste", "Montant"], ["Voirie", 1200], ["Écoles", 800]]}),
        "csv": ("poste;montant\nvoirie;1200\nécoles;800\n" * 20).encode(),
    }


def _mutants(rng: random.Random) -> list[tuple[str, bytes]]:
    out = []
    for kind, data in _seeds().items():
        out.append((f"tronque.{kind}", data[: rng.randrange(8, len(data) // 2)]))
        flipped = bytearray(data)
        for _ in range(30):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        out.append((f"abime.{kind}", bytes(flipped)))
    pdf, docx = _seeds()["pdf"], _seeds()["docx"]
    out += [
        ("polyglotte.pdf", pdf + docx),  # a PDF with a ZIP appended
        ("polyglotte.docx", docx + pdf),
        ("html-deguise.pdf", b"<html><script>alert(1)</script></html>"),
        ("zip-vide.xlsx", b"PK\x05\x06" + b"\x00" * 18),
        ("nul.csv", b"\x00" * 5000),
        ("image.pdf", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000))),
    ]
    return out


def test_fuzzed_documents_get_french_reasons_and_the_worker_goes_on(
    client: TestClient, personas: Personas, settings: Settings
) -> None:
    headers = login_as(client, "agent")
    cid = new_collection(client, headers)
    mutants = _mutants(random.Random(11))
    mime = "application/octet-stream"
    for start in range(0, len(mutants), 10):
        resp = upload(client, headers, cid, [(n, d, mime) for n, d in mutants[start : start + 10]])
        assert resp.status_code in (200, 413, 422), resp.status_code
    run_jobs(client, settings)
    good = upload(client, headers, cid, [("apres.txt", (TEXT * 3).encode(), "text/plain")])
    assert good.status_code == 200
    run_jobs(client, settings)
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        docs = list(db.scalars(select(Document)))
        assert {d.status for d in docs} <= {"ready", "error"}  # nothing left half-way
        for doc in docs:
            if doc.status == "error":
                assert FRENCH.search(doc.error), (doc.filename, doc.error)
                assert "Traceback" not in doc.error and "Error" not in doc.error
                chunks = db.scalar(select(func.count(Chunk.id)).where(Chunk.document_id == doc.id))
                assert chunks == 0, doc.filename
        assert next(d for d in docs if d.filename == "apres.txt").status == "ready"
        running = db.scalar(select(func.count(Job.id)).where(Job.status == "running"))
        assert running == 0
    assert "Erreur interne" not in page_text(client.get(f"/documents/collections/{cid}"))


def test_fuzzed_recordings_are_refused_in_french_and_nothing_is_kept(
    client: TestClient, personas: Personas
) -> None:
    headers = login_as(client, "agent")
    rng = random.Random(7)
    ogg_like = b"OggS\x00\x02" + bytes(rng.randrange(256) for _ in range(4000))
    samples = {
        "tronque.ogg": ogg_like[:40],
        "bruit.mp3": bytes(rng.randrange(256) for _ in range(3000)),
        "image.wav": b"\x89PNG\r\n\x1a\n" + b"\x00" * 500,
        "texte.m4a": b"ffconcat version 1.0\nfile /etc/passwd\n",
        "polyglotte.ogg": _seeds()["pdf"] + ogg_like,
        "vide.webm": b"",
    }
    for name, data in samples.items():
        resp = client.post(
            "/reunions",
            data={"title": "CM", "language": "fr"},
            files={"audio": (name, data, "audio/ogg")},
            headers={**headers, "Accept": "application/json"},
        )
        assert 400 <= resp.status_code < 500, (name, resp.status_code)
        assert FRENCH.search(resp.json()["detail"]), (name, resp.json())
    root = client.app.state.settings.data_dir / "reunions"  # type: ignore[attr-defined]
    assert not root.exists() or [p for p in root.rglob("*") if p.is_file()] == []
