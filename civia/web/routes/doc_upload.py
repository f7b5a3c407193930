"""Uploads into a collection: streamed to disk with the size limit checked on the way (see
civia/web/uploads/stream.py), then one background analysis per file."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from civia.accounts.models import User
from civia.db.engine import session_scope
from civia.documents import collections, storage
from civia.documents.errors import (
    DocumentError,
    DuplicateDocumentError,
    EmptyFileError,
    FileTooLargeError,
    TooManyFilesError,
    UnsupportedFormatError,
)
from civia.documents.extract import accepted_name
from civia.documents.ingest import register
from civia.documents.jobs import enqueue_analysis
from civia.settings import Settings
from civia.web.deps import FormSession
from civia.web.render import render
from civia.web.uploads.limit import Limit
from civia.web.uploads.stream import File, Receiver, csrf

router = APIRouter(prefix="/documents")
SLACK = 1_000_000  # multipart headers and form fields around the files

STATUS = {"FileTooLargeError": 413, "TooManyFilesError": 413, "UnsupportedFormatError": 415,
          "EmptyFileError": 422, "DuplicateDocumentError": 409}  # fmt: skip


def _max_bytes(settings: Settings) -> int:
    return int(settings.max_upload_mb * 1_000_000)


LIMIT = Limit(
    r"/documents/collections/\d+/depot$",
    lambda s: _max_bytes(s) * s.max_upload_files + SLACK,
    lambda s: (
        f"Ce dépôt dépasse la taille autorisée ({s.max_upload_mb:.0f} Mo par fichier, "
        f"{s.max_upload_files} fichiers au plus)."
    ),
)


@dataclass
class Report:
    filename: str
    ok: bool
    message: str
    status: int = 200
    document_id: int | None = None


def _register(
    request: Request, user_id: int, collection_id: int, files: list[File]
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
            error = _error(received, settings)
            if error is not None or received.path is None:
                received.discard()
                reports.append(_refused(received.filename, error))
                continue
            try:
                with db.begin_nested():
                    document = register(
                        db,
                        collection=collection,
                        filename=received.filename,
                        size=received.size,
                        digest=received.sha256,
                        mime=received.mime,
                        uploaded_by_id=user.id,
                    )
            except DuplicateDocumentError as exc:
                received.discard()
                reports.append(_refused(received.filename, exc))
                continue
            storage.keep(
                settings.data_dir, received.path, tenant_id=user.tenant_id, document_id=document.id
            )
            enqueue_analysis(db, user=user, document=document)
            queued = "reçu, son analyse est en file d'attente."
            reports.append(Report(received.filename, True, queued, document_id=document.id))
    return reports


def _error(received: File, settings: Settings) -> DocumentError | None:
    if received.error == "too_large":
        return FileTooLargeError(received.filename, _max_bytes(settings))
    if received.error == "too_many":
        return TooManyFilesError(received.filename, settings.max_upload_files)
    if received.error == "unsupported":
        return UnsupportedFormatError(received.filename)
    return EmptyFileError(received.filename) if received.size == 0 else None


def _refused(filename: str, error: DocumentError | None) -> Report:
    message = error.message_fr if error else f"Le fichier « {filename} » n'a pas été reçu."
    return Report(filename, False, message, STATUS.get(type(error).__name__, 422))


@router.post("/collections/{collection_id}/depot")
async def upload(request: Request, collection_id: int, found: FormSession) -> Response:
    user, web_session = found
    settings = request.app.state.settings
    receiver = Receiver(
        directory=storage.incoming_dir(settings.data_dir),
        max_file_bytes=_max_bytes(settings),
        max_files=settings.max_upload_files,
        check=csrf(request, web_session),
        accept=accepted_name,
    )
    await receiver.read(request)
    if not receiver.files:
        raise HTTPException(422, "Choisissez au moins un fichier à déposer.")
    try:
        reports = await run_in_threadpool(
            _register, request, user.id, collection_id, receiver.files
        )
    except BaseException:
        receiver.discard()
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
