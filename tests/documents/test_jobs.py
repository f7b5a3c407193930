"""The analysis job: resumes after a restart from the stored file, leaves nothing indexed when
cancelled or failing, reports real progress. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts.models import Tenant, User
from civia.db.base import Base, utcnow
from civia.db.engine import make_engine, make_sessionmaker
from civia.documents import storage
from civia.documents.dense import forget_cache
from civia.documents.ingest import register, sha256
from civia.documents.jobs import enqueue_analysis, run_analysis
from civia.documents.models import Chunk, Collection, Document, Scope
from civia.documents.pipeline import CANCELLED_FR, FILE_MISSING_FR
from civia.jobs import dispatch, queue
from civia.jobs.models import Job
from civia.jobs.worker import JobCancelled, JobContext, Worker
from civia.settings import Settings
from civia.usage.models import LedgerEntry
from tests.documents.files import make_pdf

TEXT = "La médiathèque prête des livres, des disques et des jeux. " * 30


@dataclass
class Setup:
    sessions: sessionmaker[Session]
    settings: Settings
    user_id: int
    collection_id: int


@pytest.fixture
def setup(db_url: str, tmp_path: Path) -> Iterator[Setup]:
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        tenant = Tenant(slug="t", name="T")
        db.add(tenant)
        db.flush()
        user = User(tenant_id=tenant.id, login="u", display_name="U", password_hash="x")
        collection = Collection(tenant_id=tenant.id, scope=Scope.TENANT.value, name="C")
        db.add_all([user, collection])
        db.commit()
        ids = user.id, collection.id
    yield Setup(sessions, Settings(data_dir=tmp_path, database_url=db_url), *ids)
    engine.dispose()
    forget_cache(engine)


def _upload(setup: Setup, name: str, data: bytes) -> tuple[int, int]:
    """Register a document with its stored file and queue its analysis: (document, job)."""
    with setup.sessions() as db:
        user = db.get(User, setup.user_id)
        collection = db.get(Collection, setup.collection_id)
        assert user is not None and collection is not None
        document = register(db, collection=collection, filename=name, size=len(data),
                            digest=sha256(data), uploaded_by_id=user.id)  # fmt: skip
        path = storage.path_of(setup.settings.data_dir, document.tenant_id, document.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        job = enqueue_analysis(db, user=user, document=document)
        db.commit()
        return document.id, job.id


def _state(setup: Setup, document_id: int) -> tuple[Document, int]:
    with setup.sessions() as db:
        document = db.get(Document, document_id)
        assert document is not None
        chunks = db.scalar(select(func.count(Chunk.id)).where(Chunk.document_id == document_id))
        return document, int(chunks or 0)


def test_a_job_left_by_a_dead_worker_resumes_from_the_stored_file(setup: Setup) -> None:
    pdf = make_pdf([[TEXT[:900]], [TEXT[:900]], [TEXT[:900]]])
    document_id, job_id = _upload(setup, "rapport.pdf", pdf)
    with setup.sessions() as db:  # a worker of a stopped server had taken and started it
        assert dispatch.of_session(db).huey("ingestion").dequeue() is not None
        assert queue.start(db, job_id, worker="autre-serveur:4242:abcd:ingestion-0")
        db.execute(
            update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow() - timedelta(hours=1))
        )
        db.execute(update(Document).where(Document.id == document_id).values(status="processing"))
        db.commit()
    worker = Worker(setup.sessions, setup.settings, {})
    assert worker.sweep() == {"resumed": 1, "failed": 0}  # what `civia serve` does at start
    assert worker.run_once("ingestion")
    document, chunks = _state(setup, document_id)
    assert document.status == "ready" and chunks == document.chunk_count == 3
    with setup.sessions() as db:
        job = db.get(Job, job_id)
        assert job is not None and job.status == "done" and job.attempts == 2
        assert job.result["url"] == f"/documents/{document_id}"
        vectors = db.scalar(
            select(func.count(Chunk.embedding)).where(Chunk.document_id == document_id)
        )
        assert vectors == 3
        # the embedding batches are in the pilotage ledger, with their measured footprint
        entry = db.scalar(select(LedgerEntry).where(LedgerEntry.kind == "embeddings"))
        assert entry is not None and entry.event.user_id == setup.user_id
        assert entry.event.prompt_tokens > 0 and (entry.energy_kwh_max or 0) > 0
        assert entry.inputs["footprint"]["method"] == "duration x power"


class _CancelDuringVectors(JobContext):
    """The user presses « Annuler » while vectors are being computed."""

    def progress(self, fraction: float, message: str = "") -> None:
        self.reported.append((fraction, message))
        if message.startswith("Calcul des vecteurs"):
            raise JobCancelled

    reported: list[tuple[float, str]]


def test_cancel_leaves_nothing_indexed(setup: Setup) -> None:
    document_id, job_id = _upload(setup, "long.txt", (TEXT * 20).encode())
    ctx = _CancelDuringVectors(job_id=job_id, kind="documents.ingest", tenant_id=1,
                               user_id=setup.user_id, payload={"document_id": document_id},
                               attempt=1, sessions=setup.sessions, settings=setup.settings)  # fmt: skip
    ctx.reported = []
    with pytest.raises(JobCancelled):
        run_analysis(ctx)
    document, chunks = _state(setup, document_id)
    assert chunks == 0 and document.status == "error" and document.error == CANCELLED_FR
    fractions = [f for f, _ in ctx.reported]
    assert fractions == sorted(fractions) and 0 < fractions[-1] < 1
    assert storage.path_of(setup.settings.data_dir, document.tenant_id, document_id).exists()


def test_progress_goes_through_real_steps_and_a_missing_file_is_reported(setup: Setup) -> None:
    document_id, job_id = _upload(setup, "ok.txt", (TEXT * 5).encode())
    steps: list[tuple[float, str]] = []

    class Recording(JobContext):
        def progress(self, fraction: float, message: str = "") -> None:
            steps.append((fraction, message))

    ctx = Recording(job_id=job_id, kind="documents.ingest", tenant_id=1, user_id=setup.user_id,
                    payload={"document_id": document_id}, attempt=1, sessions=setup.sessions,
                    settings=setup.settings)  # fmt: skip
    result = run_analysis(ctx)
    assert result["chunks"] >= 2
    messages = [m for _, m in steps]
    assert messages[0] == "Lecture du fichier" and messages[-1] == "Enregistrement dans l'index"
    assert any(m.startswith("Calcul des vecteurs (") for m in messages)
    other_id, other_job = _upload(setup, "perdu.txt", b"Ce fichier va disparaitre.")
    document, _ = _state(setup, other_id)
    storage.remove(setup.settings.data_dir, document.tenant_id, other_id)
    worker = Worker(setup.sessions, setup.settings, {})
    while worker.run_once("ingestion"):
        pass
    document, chunks = _state(setup, other_id)
    assert document.status == "error" and document.error == FILE_MISSING_FR and chunks == 0
    with setup.sessions() as db:
        job = db.get(Job, other_job)
        assert job is not None and job.status == "failed" and job.error == FILE_MISSING_FR


def test_a_hung_parser_is_stopped_and_the_queue_moves_on(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    from civia.documents import pipeline
    from tests.documents import hanging_parser

    hung_id, _ = _upload(setup, "piege.pdf", make_pdf([[TEXT[:900]]]))
    crashed_id, _ = _upload(setup, "crash.pdf", make_pdf([[TEXT[:800]]]))
    next_id, _ = _upload(setup, "suivant.txt", (TEXT * 2).encode())
    settings = setup.settings.model_copy(update={"ingest_stall_s": 1.5})
    worker = Worker(setup.sessions, settings, {})
    monkeypatch.setattr(pipeline, "EXTRACTOR", hanging_parser.extract)
    assert worker.run_once("ingestion")
    monkeypatch.setattr(pipeline, "EXTRACTOR", hanging_parser.crash)
    assert worker.run_once("ingestion")
    monkeypatch.undo()
    assert worker.run_once("ingestion")
    hung, chunks = _state(setup, hung_id)
    assert hung.status == "error" and chunks == 0
    assert "s'est bloquée (plus de 2 s sans avancer)" in hung.error
    crashed, _ = _state(setup, crashed_id)
    assert crashed.status == "error" and "s'est interrompue" in crashed.error
    following, chunks = _state(setup, next_id)
    assert following.status == "ready" and chunks > 0  # the queue was not blocked
