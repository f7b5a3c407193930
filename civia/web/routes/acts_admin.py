"""Actes, for référents and admins: import (SCDL file, one act), import reports, deletion,
and the sharing of the collectivité's acts with others."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from civia.accounts.models import User
from civia.audit import journal as audit
from civia.documents.acts import access
from civia.documents.acts.forms import (
    DuplicateActError,
    FormErrors,
    body_from_file,
    import_one,
    record_from_form,
)
from civia.documents.acts.importer import create_import, reconcile
from civia.documents.acts.jobs import IMPORT_KIND, QUEUE, enqueue_embedding
from civia.documents.acts.models import (
    IMPORT_STATUS_LABELS,
    KIND_LABELS,
    ActImport,
    ImportStatus,
)
from civia.documents.acts.scdl import ScdlFormatError
from civia.documents.acts.store import corpus_for, delete_act
from civia.documents.acts.text import number_fr
from civia.documents.errors import DocumentError, FileTooLargeError, UnsupportedFormatError
from civia.documents.ingest import read_limited
from civia.jobs import queue
from civia.jobs.models import Job
from civia.web.deps import AdminUser, BuilderUser, Db
from civia.web.render import render
from civia.web.uploads.limit import Limit

router = APIRouter(prefix="/actes")
FORM_OVERHEAD = 1_000_000  # the other fields of a multipart form
NOT_FOUND = "Cet import n'existe pas."


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.0f} Mo"


LIMIT = Limit(
    "/actes/",
    lambda s: max(s.acts_max_csv_bytes, s.acts_max_file_bytes) + FORM_OVERHEAD,
    lambda s: (
        "L'envoi dépasse la taille maximale autorisée "
        f"({_mb(max(s.acts_max_csv_bytes, s.acts_max_file_bytes))})."
    ),
)


def _page(
    request: Request, db: Db, user: User, *, status: int = 200, **context: object
) -> Response:
    imports = db.scalars(
        select(ActImport)
        .where(ActImport.tenant_id == user.tenant_id)
        .order_by(ActImport.id.desc())
        .limit(20)
    ).all()
    for row in imports:
        reconcile(db, row, db.get(Job, row.job_id) if row.job_id else None)
    settings = request.app.state.settings
    context.setdefault("values", {})
    context.setdefault("errors", {})
    return render(
        request,
        "acts/import.html",
        status_code=status,
        imports=imports,
        statuses=IMPORT_STATUS_LABELS,
        kinds=KIND_LABELS,
        max_csv=_mb(settings.acts_max_csv_bytes),
        max_file=_mb(settings.acts_max_file_bytes),
        **context,
    )


@router.get("/importer")
def import_page(request: Request, db: Db, user: BuilderUser) -> Response:
    return _page(request, db, user, values={"coll_name": user.tenant.name})


async def _upload(request: Request, field: str) -> UploadFile | None:
    form = await request.form()
    upload = form.get(field)
    return upload if isinstance(upload, UploadFile) and upload.filename else None


@router.post("/importer/scdl")
async def import_scdl(request: Request, db: Db, user: BuilderUser) -> Response:
    upload = await _upload(request, "fichier")
    if upload is None:
        return _page(request, db, user, status=422, csv_error="Choisissez un fichier CSV.")
    filename = upload.filename or "fichier.csv"
    limit = request.app.state.settings.acts_max_csv_bytes
    try:
        data = read_limited(upload.file, filename, limit)
        # Decoding and checking a large file is CPU work: off the event loop.
        row = await run_in_threadpool(
            lambda: create_import(
                db, tenant_id=user.tenant_id, user_id=user.id, filename=filename, data=data
            )
        )
    except FileTooLargeError as exc:
        return _page(request, db, user, status=413, csv_error=exc.message_fr)
    except ScdlFormatError as exc:
        status = 415 if exc.unsupported else 422
        return _page(request, db, user, status=status, csv_error=exc.message_fr)
    job = queue.enqueue(
        db,
        tenant_id=user.tenant_id,
        user_id=user.id,
        kind=IMPORT_KIND,
        queue=QUEUE,
        payload={"import_id": row.id, "name": filename[:120]},
    )
    row.job_id = job.id
    return RedirectResponse(f"/actes/imports/{row.id}", status_code=303)


@router.post("/importer/acte")
async def import_act(request: Request, db: Db, user: BuilderUser) -> Response:
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    upload = await _upload(request, "fichier")
    body = values.get("body", "")
    try:
        if upload is not None:
            limit = request.app.state.settings.acts_max_file_bytes
            name = upload.filename or "acte"
            data = read_limited(upload.file, name, limit)
            body = await run_in_threadpool(body_from_file, data, name, max_bytes=limit)
        record = record_from_form(values, body=body)
        act = import_one(db, user=user, record=record)
    except FileTooLargeError as exc:
        return _page(
            request, db, user, status=413, values=values, errors={"fichier": exc.message_fr}
        )
    except UnsupportedFormatError as exc:
        return _page(
            request, db, user, status=415, values=values, errors={"fichier": exc.message_fr}
        )
    except DocumentError as exc:
        return _page(
            request, db, user, status=422, values=values, errors={"fichier": exc.message_fr}
        )
    except FormErrors as exc:
        return _page(request, db, user, status=422, values=values, errors=exc.errors)
    except DuplicateActError as exc:
        return _page(
            request, db, user, status=409, values=values, duplicate=exc.act, act_error=str(exc)
        )
    enqueue_embedding(db, tenant_id=user.tenant_id, user_id=user.id)
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="acts.imported",
        target=f"acte:{act.id}",
        details={"created": 1, "source": "fichier"},
    )
    return RedirectResponse(f"/actes/{act.id}", status_code=303)


@router.get("/imports/{import_id}")
def import_report(request: Request, db: Db, user: BuilderUser, import_id: int) -> Response:
    row = db.get(ActImport, import_id)
    if row is None or row.tenant_id != user.tenant_id:
        raise HTTPException(404, NOT_FOUND)
    job = db.get(Job, row.job_id) if row.job_id else None
    reconcile(db, row, job)
    described = queue.describe(job) | {"url": ""} if job else None
    finished = row.status not in (ImportStatus.QUEUED.value, ImportStatus.RUNNING.value)
    return render(
        request,
        "acts/import_report.html",
        row=row,
        job=job,
        d=described,
        finished=finished,
        statuses=IMPORT_STATUS_LABELS,
        label="Import d'actes (SCDL)",
        number_fr=number_fr,
    )


@router.post("/{act_id}/supprimer")
def delete(db: Db, user: BuilderUser, act_id: int) -> Response:
    act = access.readable_act(db, user, act_id)
    if act is None or not access.can_manage(user, act):
        raise HTTPException(404, "Cet acte n'existe pas ou vous n'y avez pas accès.")
    target = f"acte:{act.id}"
    delete_act(db, act)
    audit.record(db, tenant_id=user.tenant_id, actor=user, action="acts.deleted", target=target)
    return RedirectResponse(f"/actes?ok={quote('Acte supprimé.')}", status_code=303)


@router.get("/partage")
def sharing_page(request: Request, db: Db, user: AdminUser) -> Response:
    return render(request, "acts/share.html", sharing=access.sharing_of(db, user.tenant_id), ok="")


@router.post("/partage")
async def sharing_save(request: Request, db: Db, user: AdminUser) -> Response:
    form = await request.form()
    readers = {int(str(v)) for v in form.getlist("lecteurs") if str(v).isdigit()}
    sharing = access.set_sharing(
        db,
        corpus=corpus_for(db, user.tenant_id),
        shared_with_all=form.get("tous") == "oui",
        reader_ids=readers,
        by=user,
    )
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="acts.shared",
        target="actes",
        details={"all": sharing.shared_with_all, "readers": sorted(sharing.reader_ids)},
    )
    return render(request, "acts/share.html", sharing=sharing, ok="Partage enregistré.")
