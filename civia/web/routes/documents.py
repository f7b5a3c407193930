"""Document collections and documents: list, create, rename, delete, view, download, re-run."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import FileResponse, RedirectResponse
from sqlalchemy import func, select

from civia.accounts.models import User
from civia.documents import collections, storage
from civia.documents.jobs import enqueue_analysis
from civia.documents.models import (
    SCOPE_LABELS,
    STATUS_LABELS,
    Chunk,
    Collection,
    Document,
    DocumentStatus,
)
from civia.jobs import queue
from civia.web.deps import CurrentUser, Db
from civia.web.render import render

router = APIRouter(prefix="/documents")
Name = Annotated[str, Form(max_length=500)]


def _fail(exc: collections.CollectionError) -> HTTPException:
    return HTTPException(exc.status, exc.message)


def _collection(db: Db, user: User, collection_id: int) -> Collection:
    try:
        return collections.readable(db, user, collection_id)
    except collections.CollectionError as exc:
        raise _fail(exc) from None


def _document(db: Db, user: User, document_id: int) -> Document:
    try:
        return collections.readable_document(db, user, document_id)
    except collections.CollectionError as exc:
        raise _fail(exc) from None


def _index(
    request: Request,
    db: Db,
    user: User,
    *,
    error: str = "",
    status: int = 200,
    form: dict[str, str] | None = None,
) -> Response:
    visible = collections.visible(db, user)
    counts = dict(
        db.execute(
            select(Document.collection_id, func.count(Document.id))
            .where(Document.collection_id.in_([c.id for c in visible]))
            .group_by(Document.collection_id)
        ).all()
    )
    return render(
        request,
        "documents/index.html",
        status_code=status,
        collections=visible,
        counts=counts,
        scopes=collections.creatable_scopes(user),
        SCOPE_LABELS=SCOPE_LABELS,
        error=error,
        form=form or {},
    )


@router.get("")
def index(request: Request, db: Db, user: CurrentUser) -> Response:
    return _index(request, db, user)


@router.post("/collections")
def create(
    request: Request,
    db: Db,
    user: CurrentUser,
    name: Name,
    scope: Annotated[str, Form(max_length=20)] = "personal",
    description: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        collection = collections.create(
            db, user=user, name=name, scope=scope, description=description
        )
    except collections.CollectionError as exc:  # the form comes back filled in
        db.rollback()
        form = {"name": name, "scope": scope, "description": description}
        return _index(request, db, user, error=exc.message, status=exc.status, form=form)
    return RedirectResponse(f"/documents/collections/{collection.id}", status_code=303)


def document_rows(db: Db, user: User, collection_id: int) -> list[dict[str, object]]:
    """Each document with its status label and, while it is being analysed, its job."""
    documents = list(
        db.scalars(
            select(Document)
            .where(Document.collection_id == collection_id)
            .order_by(Document.id.desc())
        )
    )
    running = collections.reconcile(db, documents)
    rows = []
    for document in documents:
        job = running.get(document.id)
        rows.append(
            {
                "document": document,
                "label": STATUS_LABELS[DocumentStatus(document.status)],
                "job": job,
                "d": queue.describe(job) | {"url": ""} if job else None,
                "deletable": collections.can_delete_document(user, document),
            }
        )
    return rows


@router.get("/collections/{collection_id}")
def collection_page(request: Request, db: Db, user: CurrentUser, collection_id: int) -> Response:
    collection = _collection(db, user, collection_id)
    rows = document_rows(db, user, collection.id)
    template = "documents/_table.html" if request.headers.get("hx-request") else None
    return render(
        request,
        template or "documents/collection.html",
        collection=collection,
        rows=rows,
        busy=any(r["job"] for r in rows),
        refreshing=template is not None,
        SCOPE_LABELS=SCOPE_LABELS,
        writable=collections.can_write(user, collection),
        manageable=collections.can_manage(user, collection),
        max_mb=request.app.state.settings.max_upload_mb,
        max_files=request.app.state.settings.max_upload_files,
    )


@router.post("/collections/{collection_id}/renommer")
def rename(request: Request, db: Db, user: CurrentUser, collection_id: int, name: Name) -> Response:
    collection = _collection(db, user, collection_id)
    try:
        collections.rename(db, user=user, collection=collection, name=name)
    except collections.CollectionError as exc:
        raise _fail(exc) from None
    return RedirectResponse(f"/documents/collections/{collection.id}", status_code=303)


@router.post("/collections/{collection_id}/supprimer")
def remove(
    request: Request,
    db: Db,
    user: CurrentUser,
    collection_id: int,
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    collection = _collection(db, user, collection_id)
    if confirm != "oui":
        raise HTTPException(422, "Cochez la case de confirmation pour supprimer la collection.")
    try:
        collections.remove(
            db, user=user, collection=collection, data_dir=request.app.state.settings.data_dir
        )
    except collections.CollectionError as exc:
        raise _fail(exc) from None
    return RedirectResponse("/documents", status_code=303)


@router.get("/{document_id:int}")
def document_page(request: Request, db: Db, user: CurrentUser, document_id: int) -> Response:
    document = _document(db, user, document_id)
    collections.reconcile(db, [document])
    chunks = db.scalars(
        select(Chunk).where(Chunk.document_id == document.id).order_by(Chunk.ordinal)
    ).all()
    return render(
        request,
        "documents/document.html",
        document=document,
        chunks=chunks,
        label=STATUS_LABELS[DocumentStatus(document.status)],
        deletable=collections.can_delete_document(user, document),
        writable=collections.can_write(user, document.collection),
        stored=storage.path_of(
            request.app.state.settings.data_dir, document.tenant_id, document.id
        ).exists(),
    )


@router.get("/{document_id:int}/original")
def download(request: Request, db: Db, user: CurrentUser, document_id: int) -> Response:
    document = _document(db, user, document_id)
    path = storage.path_of(request.app.state.settings.data_dir, document.tenant_id, document.id)
    if not path.exists():
        raise HTTPException(404, "Le fichier original de ce document n'est plus disponible.")
    # Always as an attachment: an uploaded HTML page must never run in Civia's origin.
    return FileResponse(
        path,
        media_type=document.mime or "application/octet-stream",
        filename=document.filename or f"document-{document.id}",
        content_disposition_type="attachment",
    )


@router.post("/{document_id:int}/supprimer")
def delete_document(request: Request, db: Db, user: CurrentUser, document_id: int) -> Response:
    document = _document(db, user, document_id)
    if not collections.can_delete_document(user, document):
        raise HTTPException(403, "Seuls la personne qui l'a déposé et les responsables de la "
                                 "collection peuvent supprimer ce document.")  # fmt: skip
    collection_id = document.collection_id
    collections.delete_document(db, document=document, data_dir=request.app.state.settings.data_dir)
    return RedirectResponse(f"/documents/collections/{collection_id}", status_code=303)


@router.post("/{document_id:int}/relancer")
def reanalyse(request: Request, db: Db, user: CurrentUser, document_id: int) -> Response:
    """Analyse again from the stored file (after an error, a cancel or an OCR install)."""
    document = _document(db, user, document_id)
    if not collections.can_write(user, document.collection):
        raise HTTPException(403, "Vous ne pouvez pas modifier cette collection.")
    collections.reconcile(db, [document])
    if document.status in ("pending", "processing"):
        raise HTTPException(409, "L'analyse de ce document est déjà en cours.")
    settings = request.app.state.settings
    if not storage.path_of(settings.data_dir, document.tenant_id, document.id).exists():
        raise HTTPException(
            409, "Le fichier original n'est plus disponible : déposez-le à nouveau."
        )
    enqueue_analysis(db, user=user, document=document)
    return RedirectResponse(f"/documents/collections/{document.collection_id}", status_code=303)
