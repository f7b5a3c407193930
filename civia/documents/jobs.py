"""Background jobs of the documents area (queue "ingestion"): analyse an uploaded document,
re-index a collection. Both can start again after a restart: the original file is kept."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.documents import admin, pipeline
from civia.documents.embedding import Embedder
from civia.documents.ingest import UNEXPECTED_FR, IngestSettings
from civia.documents.models import Collection, Document, DocumentStatus
from civia.jobs import queue, registry
from civia.jobs.models import Job
from civia.jobs.worker import JobCancelled, JobContext, JobError, WorkerStopping
from civia.providers import resolve
from civia.settings import Settings

log = logging.getLogger(__name__)
INGEST = "documents.ingest"
REINDEX = "documents.reindex"


def ingest_settings(settings: Settings) -> IngestSettings:
    return pipeline.ingest_settings(
        max_bytes=int(settings.max_upload_mb * 1_000_000),
        ocr=settings.ocr_enabled,
        ocr_dpi=settings.ocr_dpi,
        stall_s=settings.ingest_stall_s,
    )


def _embedder(ctx: JobContext) -> Embedder:
    with ctx.sessions() as db:
        return resolve.embedder_for(db, ctx.tenant_id, ctx.settings)


def enqueue_analysis(db: Session, *, user: User, document: Document) -> Job:
    """Queue the analysis of a registered document (in the caller's transaction)."""
    job = queue.enqueue(
        db,
        tenant_id=document.tenant_id,
        user_id=user.id,
        kind=INGEST,
        queue="ingestion",
        payload={"document_id": document.id, "name": document.filename},
    )
    document.status, document.error = DocumentStatus.PENDING.value, ""
    document.meta = {**(document.meta or {}), "job_id": job.id}
    return job


def enqueue_reindex(db: Session, *, user: User | None, collection: Collection) -> Job:
    return queue.enqueue(
        db,
        tenant_id=collection.tenant_id,
        user_id=user.id if user is not None else None,
        kind=REINDEX,
        queue="ingestion",
        payload={"collection_id": collection.id, "name": collection.name},
    )


@registry.register(INGEST, queue="ingestion", label="Analyse du document")
def run_analysis(ctx: JobContext) -> dict[str, Any]:
    document_id = int(ctx.payload["document_id"])
    try:
        result = pipeline.analyse(
            ctx.sessions,
            document_id,
            data_dir=ctx.settings.data_dir,
            settings=ingest_settings(ctx.settings),
            embedder=_embedder(ctx),
            progress=ctx.progress,
        )
    except pipeline.AnalysisFailed as exc:
        raise JobError(exc.message_fr) from exc
    except JobCancelled:
        pipeline.mark(ctx.sessions, document_id, DocumentStatus.ERROR.value, pipeline.CANCELLED_FR)
        raise
    except (JobError, WorkerStopping):  # stopping: the job is queued again, the file is kept
        raise
    except Exception:  # a bug: the document must not stay "en cours" forever
        log.exception("analysis of document %s crashed", document_id)
        pipeline.mark(ctx.sessions, document_id, DocumentStatus.ERROR.value, UNEXPECTED_FR)
        raise
    return {**result, "url": f"/documents/{document_id}"}


@registry.register(REINDEX, queue="ingestion", label="Réindexation de la collection")
def run_reindex(ctx: JobContext) -> dict[str, Any]:
    collection_id = int(ctx.payload["collection_id"])
    result = admin.reindex_collection(
        ctx.sessions, collection_id, embedder=_embedder(ctx), progress=ctx.progress
    )
    return {**result, "url": "/admin/index"}


def reindex_on_embedder_change(
    db: Session, *, tenant_id: int, before: str, user: User | None
) -> list[Job]:
    """After the admin changed the embeddings provider: when the tenant's embedder is another
    one than `before`, every collection is re-indexed in the background (search stays lexical
    for a passage until its new vector is computed; the two vector spaces never mix)."""
    if resolve.embedder_for(db, tenant_id).name == before:
        return []
    collections = db.scalars(
        select(Collection).where(Collection.tenant_id == tenant_id).order_by(Collection.id)
    ).all()
    return [enqueue_reindex(db, user=user, collection=c) for c in collections]
