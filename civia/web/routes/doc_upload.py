"""Uploads into a collection: streamed to disk with the size limit checked on the way, then one
background analysis per file. Mounted without the router-wide charter gate, whose CSRF check
would make Starlette parse (and spool to disk) the whole body first: this route checks the
session, the charter and the CSRF token itself, before any file byte is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from civia.auth.tokens import same
from civia.db.engine import session_scope
from civia.db.models import User, WebSession
from civia.documents import collections, storage
from civia.documents.errors import DocumentError, DuplicateDocumentError
from civia.documents.ingest import register
from civia.documents.jobs import enqueue_analysis
from civia.documents.upload import Received, UploadReceiver, UploadRefused
from civia.web.deps import Db, current_session
from civia.web.render import render
from civia.web.routes.gov_gate import CharterRequired, needs_acceptance

router = APIRouter(prefix="/documents")
SLACK = 1_000_000  # multipart headers and form fields around the files

STATUS = {"FileTooLargeError": 413, "TooManyFilesError": 413, "UnsupportedFormatError": 415,
          "EmptyFileError": 422, "DuplicateDocumentError": 409}  # fmt: skip


@dataclass
class Report:
    filename: str
    ok: bool
    message: str
    status: int = 200
    document_id: int | None = None


def _session_user(
    request: Request, db: Db, found: Annotated[tuple[User, WebSession], Depends(current_session)]
) -> tuple[User, WebSession]:
    if needs_acceptance(db, found[0]):
        raise CharterRequired(request.url.path)
    return found


def _register(
    request: Request, user_id: int, collection_id: int, files: list[Received]
) -> list[Report]:
    """Create a pending document and queue its analysis for each received file; report the
    others. Each file stands alone: a duplicate or a refused file does not stop the rest."""
    settings = request.app.state.settings
    reports = []
    with session_scope(request.app.state.sessions) as db:
        user = db.get(User, user_id)
        assert user is not None
        try:
            collection = collections.readable(db, user, collection_id)
        except collections.CollectionError as exc:
            raise HTTPException(exc.status, exc.message) from None
        if not collections.can_write(user, collection):
            raise HTTPException(
                403, "Vous ne pouvez pas déposer de document dans cette collection."
            )
        for received in files:
            if received.error is not None or received.incoming is None:
                reports.append(_refused(received.filename, received.error))
                continue
            try:
                with db.begin_nested():
                    document = register(
                        db,
                        collection=collection,
                        filename=received.filename,
                        size=received.incoming.size,
                        digest=received.incoming.sha256,
                        mime=received.mime,
                        uploaded_by_id=user.id,
                    )
            except DuplicateDocumentError as exc:
                received.incoming.discard()
                reports.append(_refused(received.filename, exc))
                continue
            storage.keep(
                settings.data_dir,
                received.incoming,
                tenant_id=user.tenant_id,
                document_id=document.id,
            )
            enqueue_analysis(db, user=user, document=document)
            queued = "reçu, son analyse est en file d'attente."
            reports.append(Report(received.filename, True, queued, document_id=document.id))
    return reports


def _refused(filename: str, error: DocumentError | None) -> Report:
    message = error.message_fr if error else f"Le fichier « {filename} » n'a pas été reçu."
    return Report(filename, False, message, STATUS.get(type(error).__name__, 422))


@router.post("/collections/{collection_id}/depot")
async def upload(
    request: Request,
    collection_id: int,
    found: Annotated[tuple[User, WebSession], Depends(_session_user)],
) -> Response:
    user, web_session = found
    settings = request.app.state.settings
    max_bytes = int(settings.max_upload_mb * 1_000_000)
    declared = int(request.headers.get("content-length") or 0)
    if declared > max_bytes * settings.max_upload_files + SLACK:
        raise HTTPException(
            413,
            f"Ce dépôt dépasse la taille autorisée ({settings.max_upload_mb:.0f} Mo par "
            f"fichier, {settings.max_upload_files} fichiers au plus).",
        )
    sent = request.headers.get("x-csrf-token")
    csrf_in_header = bool(sent) and same(sent or "", web_session.csrf_token)
    try:
        receiver = UploadReceiver(
            request.headers.get("content-type", ""),
            data_dir=settings.data_dir,
            max_bytes=max_bytes,
            max_files=settings.max_upload_files,
            csrf_ok=lambda value: same(value, web_session.csrf_token),
            csrf_in_header=csrf_in_header,
        )
    except UploadRefused as exc:  # not a form: without the token, it is a forgery first
        raise HTTPException(exc.status if csrf_in_header else 403, exc.message) from None
    try:
        async for chunk in request.stream():
            receiver.feed(chunk)
        receiver.finish()
    except UploadRefused as exc:
        receiver.abort()
        raise HTTPException(exc.status, exc.message) from None
    except BaseException:
        receiver.abort()
        raise
    if not receiver.files:
        raise HTTPException(422, "Choisissez au moins un fichier à déposer.")
    try:
        reports = await run_in_threadpool(
            _register, request, user.id, collection_id, receiver.files
        )
    except BaseException:
        receiver.abort()
        raise
    failed = [r for r in reports if not r.ok]
    status = failed[0].status if len(failed) == len(reports) else 200
    fragment = bool(request.headers.get("hx-request"))
    return render(
        request,
        "documents/_upload_result.html" if fragment else "documents/uploaded.html",
        status_code=status,
        reports=reports,
        collection_id=collection_id,
    )
