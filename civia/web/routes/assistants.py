"""Form assistants: the form, the run (streamed), the draft editor, validation, rating, export."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse
from sqlalchemy.orm import Session, sessionmaker

from civia.accounts import roles
from civia.accounts.models import Tenant, User
from civia.assistants import access, files, grounded, runs
from civia.assistants import launch as assistant_launch
from civia.assistants.context import assistant_context
from civia.assistants.inputs import InputError
from civia.assistants.jobs import CANCELLED_FR, GONE_FR
from civia.assistants.jobs import STREAM as STREAM_JOB
from civia.assistants.models import AssistantRun
from civia.assistants.renderers import render as render_file
from civia.assistants.spec import AssistantSpec, FieldKind
from civia.audit import journal as audit
from civia.db.engine import session_scope
from civia.governance import standing
from civia.jobs import queue
from civia.jobs.models import FINISHED, Job, JobStatus
from civia.providers.base import ProviderError
from civia.providers.fair_queue import WAITING_PREFIX
from civia.web.deps import CurrentUser, Db, allow_assistant
from civia.web.markdown import readable_draft
from civia.web.markdown import render as md
from civia.web.render import render
from civia.web.routes import assistant_launch as launch
from civia.web.routes.assistant_access import run_or_404, spec_or_404
from civia.web.sse import event as _sse

router = APIRouter()
ACTIVE = ("pending", "streaming")
POLL_S = 0.5
FAILED_FR = (
    "La génération s'est interrompue sans réponse du modèle. Vos saisies sont conservées : "
    "réessayez dans un instant."
)
FILES_AGAIN_FR = "Les fichiers ne sont pas conservés : ajoutez-les à nouveau avant d'envoyer."


def _allowed(db: Db, user: User, spec: AssistantSpec) -> None:
    """The comité's kill switch and training requirements apply before any use."""
    allow_assistant(db, user, spec.id)


def form_page(
    request: Request,
    db: Db,
    user: User,
    spec: AssistantSpec,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    batch_errors: dict[str, str] | None = None,
    notice: str = "",
) -> Response:
    return render(
        request,
        "assistants/form.html",
        status_code=status_code,
        spec=spec,
        notice=notice,
        values=values or {},
        errors=errors or {},
        batch_errors=batch_errors or {},
        collections=grounded.readable(db, user) if spec.fields_of(FieldKind.COLLECTION) else [],
        accept=files.ACCEPT,
        accept_fr=files.ACCEPT_FR,
        max_mb=request.app.state.settings.assistant_upload_max_mb,
        register=register_note(db, user, spec.id),
    )


def register_note(db: Db, user: User, assistant_id: str) -> dict[str, object]:
    """The use-case card an assistant runs under, linked from its page (to the card for those
    who read the register, to the public page for the others)."""
    case, approved = standing.card_of(db, user.tenant_id, assistant_id)
    tenant = db.get(Tenant, user.tenant_id)
    href = (
        f"/gouvernance/cas-usage/{case.id}"
        if case is not None and user.role in roles.CASE_VIEWERS
        else f"/transparence/{tenant.slug if tenant else ''}"
    )
    return {"case": case, "approved": approved, "href": href}


@router.get("/assistants/{assistant_id}")
def form(
    request: Request, db: Db, user: CurrentUser, assistant_id: str, reprendre: int | None = None
) -> Response:
    """The form; `reprendre` (one of the user's own runs) fills it with that run's inputs."""
    spec = spec_or_404(db, user, assistant_id)
    _allowed(db, user, spec)
    if spec.is_chat:
        return RedirectResponse(f"/conversations/nouvelle?assistant={spec.id}", status_code=303)
    if reprendre is None:
        return form_page(request, db, user, spec)
    earlier = run_or_404(db, user, reprendre)
    if earlier.assistant_id != spec.id:
        raise HTTPException(404, "Ce résultat n'existe pas.")
    values, notice = retry_values(spec, earlier)
    return form_page(request, db, user, spec, values=values, notice=notice)


def retry_values(spec: AssistantSpec, earlier: AssistantRun) -> tuple[dict[str, str], str]:
    """The inputs of an earlier run, as the form shows them, and what the user must redo: files
    are not kept (only their names), so they are asked for again."""
    files_named = [f.name for f in spec.fields_of(FieldKind.FILE) if earlier.inputs.get(f.name)]
    values = {k: str(v) for k, v in (earlier.inputs or {}).items() if v is not None}
    notice = "Vos saisies précédentes sont reprises ci-dessous."
    if files_named or earlier.inputs.get("lot"):
        notice += " " + FILES_AGAIN_FR
    return values, notice


@router.post("/assistants/{assistant_id}")
async def submit(request: Request, db: Db, user: CurrentUser, assistant_id: str) -> Response:
    spec = spec_or_404(db, user, assistant_id)
    _allowed(db, user, spec)
    submitted = await request.form()
    raw = {k: v for k, v in submitted.items() if isinstance(v, str)}
    try:
        created = await assistant_launch.start(
            db, user=user, spec=spec, raw=raw,
            uploads=await launch.uploads(request, spec, submitted),
            gateway=request.app.state.gateway, max_bytes=launch.max_bytes(request),
        )  # fmt: skip
    except InputError as exc:  # what the agent typed comes back with the messages
        return form_page(request, db, user, spec, values=raw, errors=exc.errors, status_code=422)
    except ProviderError as exc:
        return form_page(request, db, user, spec, values=raw, status_code=503,
                         errors={"": exc.message_fr})  # fmt: skip
    return RedirectResponse(f"/resultats/{created.id}", status_code=303)


@router.get("/resultats")
def history(request: Request, db: Db, user: CurrentUser) -> Response:
    items = runs.list_for(db, user=user)
    names = {s.id: s.name for s in access.available(db, user)}
    return render(request, "assistants/history.html", runs=items, names=names)


@router.get("/resultats/{run_id}")
def result(request: Request, db: Db, user: CurrentUser, run_id: int, ok: str = "") -> Response:
    found = run_or_404(db, user, run_id)
    spec = spec_or_404(db, user, found.assistant_id)
    settle(db, found)
    text = found.final_text or found.draft
    compare = found.inputs.get(spec.output.compare_with, "") if spec.output.compare_with else ""
    job = db.get(Job, found.job_id) if found.job_id else None
    return render(
        request,
        "assistants/result.html",
        run=found,
        spec=spec,
        md=md,
        readable=readable_draft,
        ok=ok,
        job=job,
        live=job is not None and job.kind == STREAM_JOB and found.status in ACTIVE,
        d=queue.describe(job) | {"url": f"/resultats/{found.id}"} if job else {},
        job_label=spec.name,
        batch=launch.batch_view(spec, found, assistant_context(db, user.tenant)["service_list"]),
        compare=compare,
        diff=runs.diff_html(compare, text) if spec.output.diff and text else "",
        changes=runs.changes(compare, text) if spec.output.diff and text else 0,
    )


@router.get("/resultats/{run_id}/flux")
def stream(request: Request, db: Db, user: CurrentUser, run_id: int) -> Response:
    """The run's text as it is written by its job (read from the database every half second),
    then `done`. Leaving the page stops only this stream, never the run."""
    found = run_or_404(db, user, run_id)
    _allowed(db, user, spec_or_404(db, user, found.assistant_id))
    sessions = request.app.state.sessions

    async def events() -> AsyncIterator[str]:
        sent, waited = 0, ""
        while True:
            status, draft, error, waiting = await asyncio.to_thread(_poll, sessions, run_id)
            if status in ACTIVE:
                if waiting != waited and not draft:  # the local model is busy: where it waits
                    yield _sse("queued", {"label": waiting})
                    waited = waiting
                if len(draft) > sent:
                    yield _sse("token", {"t": draft[sent:]})
                    sent = len(draft)
            else:
                yield _sse(
                    "done", {"status": status, "html": md(draft), "draft": draft, "error": error}
                )
                return
            if await request.is_disconnected():
                return
            await asyncio.sleep(POLL_S)

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


def _poll(sessions: sessionmaker[Session], run_id: int) -> tuple[str, str, str, str]:
    """The run's status, text so far, error, and its place in the local model's line (the
    job's message « En file d'attente : … » while it waits, else "")."""
    with session_scope(sessions) as db:
        row = db.get(AssistantRun, run_id)
        if row is None:
            return "error", "", GONE_FR, ""
        settle(db, row)
        job = db.get(Job, row.job_id) if row.job_id else None
        waiting = job.message if job and job.message.startswith(WAITING_PREFIX) else ""
        return row.status, row.draft or "", row.error or "", waiting


def settle(db: Session, row: AssistantRun) -> None:
    """A run still 'in progress' whose job ended without saying so (a crash, a sweep of a dead
    worker) becomes a failure with a French reason."""
    if row.status not in ACTIVE:
        if row.status == "error" and not row.error:
            row.error = FAILED_FR
        return
    job = db.get(Job, row.job_id) if row.job_id else None
    if job is None or job.status in FINISHED:
        row.status = "error"
        reason = job.error if job is not None else ""
        if job is not None and job.status == JobStatus.CANCELLED.value:
            reason = CANCELLED_FR
        row.error = reason or FAILED_FR


def _back(run_id: int, message: str) -> Response:
    return RedirectResponse(f"/resultats/{run_id}?ok={message}", status_code=303)


@router.post("/resultats/{run_id}/brouillon")
def save(
    db: Db,
    user: CurrentUser,
    run_id: int,
    text: Annotated[str, Form(max_length=runs.MAX_DRAFT_CHARS)],
) -> Response:
    found = run_or_404(db, user, run_id)
    try:
        runs.save_draft(found, text)
    except runs.RunError as exc:
        raise HTTPException(409, str(exc)) from None
    return _back(run_id, "Brouillon enregistré.")


@router.post("/resultats/{run_id}/valider")
def validate(
    db: Db,
    user: CurrentUser,
    run_id: int,
    text: Annotated[str, Form(max_length=runs.MAX_DRAFT_CHARS)],
    minutes: Annotated[int | None, Form()] = None,
) -> Response:
    found = run_or_404(db, user, run_id)
    try:
        runs.validate(found, user=user, text=text, minutes=minutes)
    except runs.RunError as exc:
        raise HTTPException(409, str(exc)) from None
    return _back(run_id, "Résultat validé. Vous pouvez l'exporter.")


@router.post("/resultats/{run_id}/avis")
def feedback(
    db: Db,
    user: CurrentUser,
    run_id: int,
    rating: Annotated[str, Form()],
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    found = run_or_404(db, user, run_id)
    try:
        runs.rate(found, rating=rating, comment=comment)
    except runs.RunError as exc:
        raise HTTPException(422, str(exc)) from None
    return _back(run_id, "Merci pour votre avis.")


@router.get("/resultats/{run_id}/export/{fmt}")
def export(db: Db, user: CurrentUser, run_id: int, fmt: str) -> Response:

    found = run_or_404(db, user, run_id)
    spec = spec_or_404(db, user, found.assistant_id)
    if fmt not in spec.output.formats:
        raise HTTPException(404, "Ce format n'est pas proposé pour cet assistant.")
    if not (found.final_text or found.draft):
        raise HTTPException(409, "Il n'y a encore rien à exporter.")
    validator = db.get(User, found.validated_by) if found.validated_by else None
    doc = runs.to_document(db, found, spec, author=user, validator=validator)
    content, mime, filename = render_file(doc, fmt)
    audit.record(
        db,
        tenant_id=user.tenant_id,
        actor=user,
        action="export.downloaded",
        target=f"resultat:{found.id}",
        details={"assistant_id": spec.id, "format": fmt},
    )
    return Response(
        content,
        media_type=mime,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
