"""Background runs: a document worked through part by part, a CSV of requests row by row, and
the single generation of any other form assistant (its text saved on the run as it comes).

Documents and batches use their own queue, "assistants": a 60-page translation takes the model
for a long while and must not hold back the indexing of documents (queue "ingestion") nor
transcriptions; they resume after a restart from the last part or row saved on the run (a
checkpoint). Single generations use the queue "redaction", so a letter never waits behind a
long document; one handed back at a restart starts again from the beginning.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants import batch as batches
from civia.assistants import builder, files
from civia.assistants.context import assistant_context
from civia.assistants.models import AssistantRun
from civia.assistants.prepare import prompt_values
from civia.assistants.runner import TRUNCATED_FR, RunResult, run, run_to_end
from civia.assistants.spec import AssistantSpec, FieldKind
from civia.chat.gateway import Gateway, call_context
from civia.db.base import utcnow
from civia.jobs.registry import register
from civia.jobs.worker import UNEXPECTED_FR, JobCancelled, JobContext, JobError, WorkerStopping
from civia.providers.base import ProviderError
from civia.providers.fair_queue import waiting_fr

QUEUE = "assistants"
STREAM_QUEUE = "redaction"  # one model call each: not held behind a 60-page translation
DOCUMENT, BATCH, STREAM = "assistants.document", "assistants.batch", "assistants.stream"
GONE_FR = "Ce résultat n'existe plus."
CANCELLED_FR = "Génération annulée à votre demande."
INTERRUPTED_FR = "Génération interrompue : le texte ci-dessous est incomplet, relisez-le avec soin."
SAVE_EVERY_S = 0.5  # the partial text reaches the row (and the result page) this often


def _load(db: Session, run_id: int) -> tuple[AssistantRun, User, AssistantSpec]:
    row = db.get(AssistantRun, run_id)
    user = db.get(User, row.user_id) if row is not None else None
    if row is None or user is None:
        raise JobError(GONE_FR)
    spec = builder.find_for_owner(db, user, row.assistant_id)
    if spec is None:
        raise JobError("Cet assistant n'est plus disponible.")
    return row, user, spec


def _save(ctx: JobContext, run_id: int, **values: Any) -> None:
    with ctx.sessions() as db:
        row = db.get(AssistantRun, run_id)
        if row is not None:
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = utcnow()
            db.commit()


def _setup(ctx: JobContext, db: Session, user: User, spec: AssistantSpec) -> dict[str, Any]:
    gateway = Gateway(ctx.settings, ctx.sessions, ctx.registries.call_guards)
    try:
        target = gateway.resolve(db, user.tenant_id)
    except ProviderError as exc:
        raise JobError(exc.message_fr) from None
    call = call_context(user, source="web", assistant=spec)
    return {"gateway": gateway, "context": assistant_context(db, user.tenant), "ctx": call,
            "target": target}  # fmt: skip


@register(STREAM, queue=STREAM_QUEUE, label="Rédaction par un assistant")
def process_stream(ctx: JobContext) -> dict[str, Any]:
    """One model call, its text saved on the run as it comes: the result page shows it live
    and the run ends whatever the browser does. Restarted from scratch after a worker restart."""
    run_id = int(ctx.payload["run_id"])
    with ctx.sessions() as db:
        try:
            row, user, spec = _load(db, run_id)
            setup = _setup(ctx, db, user, spec)
        except JobError as exc:
            db.rollback()
            _save(ctx, run_id, status="error", error=exc.message_fr)
            raise
        values = prompt_values(spec, row.inputs, row.attachments or {})
        sources = (row.attachments or {}).get("sources") or []
        db.commit()
    _save(ctx, run_id, status="streaming", model=setup["target"].model, draft="", error="")
    try:
        outcome = asyncio.run(_generate(ctx, run_id, spec, values, sources, setup))
    except ProviderError as exc:
        message = f"{exc.message_fr} (réf. {setup['ctx'].request_id})"
        _save(ctx, run_id, status="error", error=message)
        raise JobError(message) from None
    except JobCancelled:
        text = _partial(ctx, run_id)
        if text.strip():
            _save(ctx, run_id, status="draft", draft=text, warning=INTERRUPTED_FR)
        else:
            _save(ctx, run_id, status="error", error=CANCELLED_FR)
        raise
    except WorkerStopping:  # handed back to the queue: the next worker starts again
        _save(ctx, run_id, status="pending", draft="")
        raise
    except Exception:
        _save(ctx, run_id, status="error", error=UNEXPECTED_FR)
        raise
    with ctx.sessions() as db:
        ended = db.get(AssistantRun, run_id)
        if ended is not None:
            ended.status, ended.error = "draft", ""
            ended.draft, ended.raw_output, ended.data = outcome.markdown, outcome.raw, outcome.data
            ended.attempts = outcome.attempts
            ended.warning = " ".join(w for w in (ended.warning, outcome.warning) if w)
            ended.updated_at = utcnow()
            db.commit()
    return {"url": f"/resultats/{run_id}"}


def _partial(ctx: JobContext, run_id: int) -> str:
    with ctx.sessions() as db:
        row = db.get(AssistantRun, run_id)
        return row.draft if row is not None else ""


async def _generate(
    ctx: JobContext,
    run_id: int,
    spec: AssistantSpec,
    values: dict[str, str],
    sources: list[dict[str, Any]],
    setup: dict[str, Any],
) -> RunResult:
    text, chunks, last = "", 0, time.monotonic()
    budget = max(1, min(spec.max_tokens, ctx.settings.max_tokens or spec.max_tokens))
    async for item in run(spec, values, sources=sources, **setup):
        if isinstance(item, RunResult):
            return item
        if item.queued is not None and not text:  # the local model is busy: say where we wait
            await asyncio.to_thread(ctx.progress, 0.0, waiting_fr(item.queued))
        if not item.text:
            continue
        text, chunks = text + item.text, chunks + 1
        if time.monotonic() - last >= SAVE_EVERY_S:
            last = time.monotonic()
            await asyncio.to_thread(_save, ctx, run_id, draft=text)
            await asyncio.to_thread(
                ctx.progress, min(0.95, chunks / budget), f"{len(text)} caractères rédigés"
            )
    raise JobError(UNEXPECTED_FR)  # `run` always ends with its RunResult


@register(DOCUMENT, queue=QUEUE, label="Traitement d'un document par un assistant")
def process_document(ctx: JobContext) -> dict[str, Any]:
    run_id = int(ctx.payload["run_id"])
    with ctx.sessions() as db:
        row, user, spec = _load(db, run_id)
        setup = _setup(ctx, db, user, spec)
        gateway = setup.pop("gateway")
        field = next(f.name for f in spec.fields_of(FieldKind.FILE) if f.name in row.attachments)
        values = prompt_values(spec, row.inputs, row.attachments)
        parts = files.batches(row.attachments[field].get("blocks", []))
        done: list[dict[str, Any]] = list((row.data or {}).get("parts", []))
        db.commit()
    _save(ctx, run_id, status="streaming", model=setup["target"].model)
    try:
        for index in range(len(done), len(parts)):
            ctx.progress(index / len(parts), f"Partie {index + 1} sur {len(parts)}")
            try:
                outcome = asyncio.run(
                    run_to_end(spec, {**values, field: parts[index]}, gateway=gateway, **setup)
                )
            except ProviderError as exc:
                raise JobError(f"{exc.message_fr} (partie {index + 1} sur {len(parts)})") from None
            done.append({"text": outcome.markdown.strip(), "truncated": outcome.truncated,
                         "notes": outcome.notes})  # fmt: skip
            _save(ctx, run_id, data={"parts": done, "total": len(parts)})
    except (JobCancelled, JobError) as exc:
        _finish_document(ctx, run_id, done, len(parts), stopped=exc)
        raise
    _finish_document(ctx, run_id, done, len(parts))
    return {"url": f"/resultats/{run_id}", "parts": len(parts)}


def part_notes(parts: list[dict[str, Any]]) -> list[str]:
    """What the post-checks told of each part (« Partie 2 : Heures passées au format 24 h… »):
    a document translated part by part keeps the notes its single-call run would show."""
    said: dict[str, list[str]] = {}
    for number, part in enumerate(parts, start=1):
        for note in part.get("notes") or []:
            said.setdefault(str(note), []).append(str(number))
    return [f"Partie(s) {', '.join(numbers)} : {note}" for note, numbers in said.items()]


def _finish_document(
    ctx: JobContext,
    run_id: int,
    done: list[dict[str, Any]],
    total: int,
    stopped: Exception | None = None,
) -> None:
    text = "\n\n".join(p["text"] for p in done).strip()
    cut = [str(i + 1) for i, p in enumerate(done) if p["truncated"]]
    warnings = []
    if cut:
        warnings.append(f"{TRUNCATED_FR} Parties concernées : {', '.join(cut)} sur {total}.")
    warnings += part_notes(done)
    if stopped is not None and text:
        warnings.append(f"Traitement interrompu : {len(done)} partie(s) sur {total} traitée(s).")
    if stopped is not None and not text:
        error = stopped.message_fr if isinstance(stopped, JobError) else "Traitement annulé."
        _save(ctx, run_id, status="error", error=error)
        return
    _save(ctx, run_id, status="draft", draft=text + "\n", warning=" ".join(warnings),
          attempts=len(done))  # fmt: skip


@register(BATCH, queue=QUEUE, label="Traitement d'un lot de demandes")
def process_batch(ctx: JobContext) -> dict[str, Any]:
    run_id = int(ctx.payload["run_id"])
    with ctx.sessions() as db:
        row, user, spec = _load(db, run_id)
        setup = _setup(ctx, db, user, spec)
        gateway = setup.pop("gateway")
        lot = row.attachments["batch"]
        results: list[dict[str, Any]] = list((row.data or {}).get("results", []))
        db.commit()
    _save(ctx, run_id, status="streaming", model=setup["target"].model)
    main = batches.main_field(spec)
    total = len(lot["rows"])
    try:
        for index in range(len(results), total):
            ctx.progress(index / total, f"Demande {index + 1} sur {total}")
            text = batches.row_text(lot, lot["rows"][index])
            try:
                outcome = asyncio.run(run_to_end(spec, {main: text}, gateway=gateway, **setup))
                results.append(dict(outcome.data or {}))
            except ProviderError as exc:  # one bad row does not stop the batch
                results.append({"error": exc.message_fr})
            _save(ctx, run_id, data={"results": results})
    except JobCancelled:
        _finish_batch(ctx, run_id, results, total, stopped=True)
        raise
    _finish_batch(ctx, run_id, results, total)
    return {"url": f"/resultats/{run_id}", "rows": total}


def _finish_batch(
    ctx: JobContext, run_id: int, results: list[dict[str, Any]], total: int, stopped: bool = False
) -> None:
    failed = sum(1 for r in results if r.get("error"))
    warnings = []
    if failed:
        warnings.append(
            f"{failed} demande(s) n'ont pas pu être classées : complétez-les à la main."
        )
    if stopped:
        warnings.append(f"Traitement annulé : {len(results)} demande(s) sur {total} classée(s).")
    _save(ctx, run_id, status="draft", warning=" ".join(warnings), attempts=len(results))
