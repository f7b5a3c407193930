"""The job recomputing the vectors of passages redacted by an erasure (its kind keeps the name
"governance.reembed" of the jobs already queued)."""

from __future__ import annotations

from typing import Any

from civia.db.engine import session_scope
from civia.documents.vectors import embed_pending
from civia.jobs.registry import register
from civia.jobs.worker import JobContext


@register("governance.reembed", queue="ingestion", label="Recalcul des vecteurs après effacement")
def reembed(ctx: JobContext) -> dict[str, Any]:
    """Vectors of the passages redacted by an erasure were dropped: compute them again."""
    from civia.providers.resolve import embedder_for

    ctx.progress(0.0, "Chargement du modèle d'embeddings…")
    with session_scope(ctx.sessions) as db:
        embedder = embedder_for(db, ctx.tenant_id, ctx.settings)
        done = embed_pending(db, embedder, tenant_id=ctx.tenant_id)
    ctx.progress(1.0, f"{done} passage(s) recalculé(s).")
    return {"embedded": done}
