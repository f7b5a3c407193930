"""Administrators: index size per collection, and re-indexing as a background job."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from civia.documents import admin
from civia.documents.jobs import REINDEX, enqueue_reindex
from civia.documents.models import SCOPE_LABELS, Collection, Scope
from civia.jobs import queue
from civia.jobs.models import FINISHED, Job
from civia.web.deps import AdminUser, Db
from civia.web.render import render

router = APIRouter(prefix="/admin/index")


def _reindex_jobs(db: Db, tenant_id: int) -> dict[int, Job]:
    """The latest re-indexing job of each collection (running or recent)."""
    jobs = db.scalars(
        select(Job).where(Job.tenant_id == tenant_id, Job.kind == REINDEX).order_by(Job.id)
    ).all()
    return {int(job.payload.get("collection_id", 0)): job for job in jobs}


@router.get("")
def index(request: Request, db: Db, user: AdminUser) -> Response:
    stats = admin.collection_stats(db, user.tenant_id, request.app.state.settings.data_dir)
    jobs = _reindex_jobs(db, user.tenant_id)
    return render(
        request,
        "documents/admin_index.html",
        stats=stats,
        totals=admin.index_stats(db, user.tenant_id),
        jobs={cid: (job, queue.describe(job) | {"url": ""}) for cid, job in jobs.items()},
        FINISHED=FINISHED,
        SCOPE_LABELS={s.value: label for s, label in SCOPE_LABELS.items()},
        Scope=Scope,
    )


@router.post("/{collection_id}/reindexer")
def reindex(request: Request, db: Db, user: AdminUser, collection_id: int) -> Response:
    collection = db.get(Collection, collection_id)
    if collection is None or collection.tenant_id != user.tenant_id:
        raise HTTPException(404, "Cette collection n'existe pas.")
    running = _reindex_jobs(db, user.tenant_id).get(collection.id)
    if running is not None and running.status not in FINISHED:
        raise HTTPException(409, "La réindexation de cette collection est déjà en cours.")
    enqueue_reindex(db, user=user, collection=collection)
    return RedirectResponse("/admin/index", status_code=303)
