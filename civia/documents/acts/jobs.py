"""Background jobs of the acts: importing an SCDL file, then computing the acts' vectors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.documents.acts.importer import CANCELLED_FR, mark, run_import
from civia.documents.acts.models import ImportStatus
from civia.documents.acts.scdl import ScdlFormatError
from civia.documents.acts.vectors import EMBED_KIND, embed_acts
from civia.jobs import queue, registry
from civia.jobs.models import FINISHED, Job
from civia.jobs.worker import JobCancelled, JobContext, JobError, WorkerStopping

IMPORT_KIND = "acts.import_scdl"
QUEUE = "ingestion"
IMPORT_FAILED_FR = (
    "L'import s'est interrompu sur une erreur inattendue. Les lignes déjà importées sont "
    "conservées ; relancez l'import du fichier pour terminer (les actes ne seront pas dupliqués)."
)


def enqueue_embedding(db: Session, *, tenant_id: int, user_id: int | None) -> Job:
    """One vectorisation job per tenant at a time: a queued one already covers new acts."""
    waiting = db.scalars(
        select(Job).where(
            Job.kind == EMBED_KIND, Job.tenant_id == tenant_id, Job.status.not_in(FINISHED)
        )
    ).first()
    if waiting is not None and waiting.status == "queued":
        return waiting
    return queue.enqueue(
        db,
        tenant_id=tenant_id,
        user_id=user_id,
        kind=EMBED_KIND,
        queue=QUEUE,
        payload={"name": "actes importés"},
    )


@registry.register(IMPORT_KIND, queue=QUEUE, label="Import d'actes (SCDL)")
def import_scdl(ctx: JobContext) -> dict[str, Any]:
    import_id = int(ctx.payload["import_id"])
    try:
        row = run_import(ctx.sessions, import_id=import_id, progress=ctx.progress)
    except ScdlFormatError as exc:
        mark(ctx.sessions, import_id, ImportStatus.FAILED, exc.message_fr)
        raise JobError(exc.message_fr) from None
    except JobCancelled:
        mark(ctx.sessions, import_id, ImportStatus.CANCELLED, CANCELLED_FR)
        raise
    except WorkerStopping:
        raise  # handed back to the queue; the checkpoint lets the next attempt resume
    except Exception:
        mark(ctx.sessions, import_id, ImportStatus.FAILED, IMPORT_FAILED_FR)
        raise
    with ctx.sessions() as db:
        if row.created or row.updated:
            enqueue_embedding(db, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        db.commit()
    return {
        "url": f"/actes/imports/{import_id}",
        "created": row.created,
        "updated": row.updated,
        "unchanged": row.unchanged,
        "rejected": row.rejected,
    }


@registry.register(EMBED_KIND, queue=QUEUE, label="Vectorisation des actes")
def embed(ctx: JobContext) -> dict[str, Any]:
    from civia.providers.resolve import embedder_for

    with ctx.sessions() as db:
        embedder = embedder_for(db, ctx.tenant_id, ctx.settings)
    done = embed_acts(
        ctx.sessions, tenant_id=ctx.tenant_id, embedder=embedder, progress=ctx.progress
    )
    return {"url": "/actes", "acts": done}
