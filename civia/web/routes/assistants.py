"""Form assistants: the form, the run (streamed), the draft editor, validation, rating, export."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse
from sqlalchemy import update

from civia.accounts.models import User
from civia.assistants import access, builder, files, grounded, runs
from civia.assistants import launch as assistant_launch
from civia.assistants.context import assistant_context
from civia.assistants.inputs import InputError
from civia.assistants.models import AssistantRun
from civia.assistants.prepare import prompt_values
from civia.assistants.renderers import render as render_file
from civia.assistants.runner import RunResult, run
from civia.assistants.spec import AssistantSpec, FieldKind
from civia.audit import journal as audit
from civia.chat.gateway import call_context
from civia.db.engine import affected, session_scope
from civia.jobs import queue
from civia.jobs.models import Job
from civia.providers.base import ProviderError
from civia.web.deps import CurrentUser, Db, allow_assistant
from civia.web.markdown import render as md
from civia.web.render import render
from civia.web.routes import assistant_launch as launch
from civia.web.sse import event as _sse

router = APIRouter()


def _spec(db: Db, user: User, assistant_id: str) -> AssistantSpec:
    spec = builder.find_for_owner(db, user, assistant_id)  # owners also try their drafts
    if spec is None:
        raise HTTPException(404, "Cet assistant n'existe pas ou n'est pas disponible.")
    return spec


def _allowed(db: Db, user: User, spec: AssistantSpec) -> None:
    """The comité's kill switch and training requirements apply before any use."""
    allow_assistant(db, user, spec.id)


def _run(db: Db, user: User, run_id: int) -> AssistantRun:
    found = runs.get_owned(db, user=user, run_id=run_id)
    if found is None:
        raise HTTPException(404, "Ce résultat n'existe pas.")
    return found


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
) -> Response:
    return render(
        request,
        "assistants/form.html",
        status_code=status_code,
        spec=spec,
        values=values or {},
        errors=errors or {},
        batch_errors=batch_errors or {},
        collections=grounded.readable(db, user) if spec.fields_of(FieldKind.COLLECTION) else [],
        accept=files.ACCEPT,
        accept_fr=files.ACCEPT_FR,
        max_mb=request.app.state.settings.assistant_upload_max_mb,
    )


@router.get("/assistants/{assistant_id}")
def form(request: Request, db: Db, user: CurrentUser, assistant_id: str) -> Response:
    spec = _spec(db, user, assistant_id)
    _allowed(db, user, spec)
    if spec.is_chat:
        return RedirectResponse(f"/conversations/nouvelle?assistant={spec.id}", status_code=303)
    return form_page(request, db, user, spec)


@router.post("/assistants/{assistant_id}")
async def submit(request: Request, db: Db, user: CurrentUser, assistant_id: str) -> Response:
    spec = _spec(db, user, assistant_id)
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
    found = _run(db, user, run_id)
    spec = _spec(db, user, found.assistant_id)
    text = found.final_text or found.draft
    compare = found.inputs.get(spec.output.compare_with, "") if spec.output.compare_with else ""
    job = db.get(Job, found.job_id) if found.job_id else None
    return render(
        request,
        "assistants/result.html",
        run=found,
        spec=spec,
        md=md,
        ok=ok,
        job=job,
        d=queue.describe(job) | {"url": f"/resultats/{found.id}"} if job else {},
        job_label=spec.name,
        batch=launch.batch_view(spec, found, assistant_context(db, user.tenant)["service_list"]),
        compare=compare,
        diff=runs.diff_html(compare, text) if spec.output.diff and text else "",
        changes=runs.changes(compare, text) if spec.output.diff and text else 0,
    )


@router.get("/resultats/{run_id}/flux")
def stream(request: Request, db: Db, user: CurrentUser, run_id: int) -> Response:
    found = _run(db, user, run_id)
    spec = _spec(db, user, found.assistant_id)
    _allowed(db, user, spec)
    claimed = found.job_id is None and affected(  # a background job computes the others
        db.execute(
            update(AssistantRun)
            .where(AssistantRun.id == found.id, AssistantRun.status == "pending")
            .values(status="streaming")
        )
    )
    db.commit()
    if not claimed:
        return StreamingResponse(
            _done(found.status, found.draft, found.error), media_type="text/event-stream"
        )
    gateway = request.app.state.gateway
    context = assistant_context(db, user.tenant)
    ctx = call_context(user, source="web", assistant=spec, request_id=request.state.request_id)
    try:
        target = gateway.resolve(db, user.tenant_id)
    except ProviderError as exc:
        _finish(request, found.id, status="error", error=exc.message_fr)
        return StreamingResponse(_done("error", "", exc.message_fr), media_type="text/event-stream")
    values = prompt_values(spec, found.inputs, found.attachments or {})
    sources = (found.attachments or {}).get("sources") or []

    async def events() -> AsyncIterator[str]:
        status, error, draft = "error", "", ""
        outcome: RunResult | None = None
        try:
            async for item in run(
                spec, values, context=context, gateway=gateway, ctx=ctx, target=target,
                sources=sources,
            ):  # fmt: skip
                if isinstance(item, RunResult):
                    outcome = item
                elif item.text:
                    yield _sse("token", {"t": item.text})
            assert outcome is not None
            status, draft = "draft", outcome.markdown
        except ProviderError as exc:
            error = f"{exc.message_fr} (réf. {ctx.request_id})"
        finally:
            _finish(
                request, found.id, status=status, error=error, outcome=outcome, model=target.model
            )
        yield _sse("done", {"status": status, "html": md(draft), "draft": draft, "error": error})

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


def _finish(
    request: Request,
    run_id: int,
    *,
    status: str,
    error: str = "",
    outcome: RunResult | None = None,
    model: str = "",
) -> None:
    with session_scope(request.app.state.sessions) as db:
        row = db.get(AssistantRun, run_id)
        if row is None:
            return
        row.status, row.error, row.model = status, error, model
        if outcome is not None:
            row.draft, row.raw_output, row.data = outcome.markdown, outcome.raw, outcome.data
            row.attempts = outcome.attempts
            row.warning = " ".join(w for w in (row.warning, outcome.warning) if w)


async def _done(status: str, draft: str, error: str) -> AsyncIterator[str]:
    status = "busy" if status in ("streaming", "pending") else status
    yield _sse("done", {"status": status, "html": md(draft), "draft": draft, "error": error})


def _back(run_id: int, message: str) -> Response:
    return RedirectResponse(f"/resultats/{run_id}?ok={message}", status_code=303)


@router.post("/resultats/{run_id}/brouillon")
def save(
    db: Db,
    user: CurrentUser,
    run_id: int,
    text: Annotated[str, Form(max_length=runs.MAX_DRAFT_CHARS)],
) -> Response:
    found = _run(db, user, run_id)
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
    found = _run(db, user, run_id)
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
    found = _run(db, user, run_id)
    try:
        runs.rate(found, rating=rating, comment=comment)
    except runs.RunError as exc:
        raise HTTPException(422, str(exc)) from None
    return _back(run_id, "Merci pour votre avis.")


@router.get("/resultats/{run_id}/export/{fmt}")
def export(db: Db, user: CurrentUser, run_id: int, fmt: str) -> Response:

    found = _run(db, user, run_id)
    spec = _spec(db, user, found.assistant_id)
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
