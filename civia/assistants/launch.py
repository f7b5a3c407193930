"""Launching an assistant, the same way for the web form and the API: resolve the model, read
the files and collections, check the context (`prepare`), then either save the run for the
result page and its job (`start`, web) or run it to the end in the call (`complete`, API)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants import extraction, files, jobs, runs
from civia.assistants.context import assistant_context
from civia.assistants.models import AssistantRun
from civia.assistants.prepare import Prepared, Upload, prepare
from civia.assistants.runner import TRUNCATED_FR, RunResult, run_to_end
from civia.assistants.spec import AssistantSpec, FieldKind
from civia.chat.gateway import CallContext, Gateway, Resolved
from civia.jobs import queue
from civia.providers.resolve import embedder_for
from civia.usage.metered import metered


@dataclass
class Launch:
    prepared: Prepared
    target: Resolved | None  # None for the tables assistant (no model call)
    context: dict[str, Any]


async def _prepare(
    db: Session,
    *,
    user: User,
    spec: AssistantSpec,
    raw: dict[str, str],
    uploads: dict[str, Upload],
    gateway: Gateway,
    max_bytes: int,
) -> Launch:
    """Raises InputError (bad inputs) and ProviderError (no model)."""
    target = None if spec.output.kind == "tables" else gateway.resolve(db, user.tenant_id)
    embedder = (  # the search's query vector is a model call: in the ledger
        metered(db, embedder_for(db, user.tenant_id), user)
        if spec.fields_of(FieldKind.COLLECTION)
        else None
    )
    context = assistant_context(db, user.tenant)
    prepared = await asyncio.to_thread(
        lambda: prepare(
            db, user=user, spec=spec, raw=raw, uploads=uploads, context=context,
            target=target, embedder=embedder, max_bytes=max_bytes,
        )
    )  # fmt: skip
    return Launch(prepared, target, context)


def _tables(prepared: Prepared) -> dict[str, Any]:
    """The tables found in the file, with the user's wish, before any choice."""
    attachment = next(a for a in prepared.attachments.values() if a.get("kind") == "tables")
    wish = next((v for k, v in prepared.inputs.items() if k not in prepared.attachments), "")
    return extraction.initial_data(attachment, wish)


async def start(
    db: Session,
    *,
    user: User,
    spec: AssistantSpec,
    raw: dict[str, str],
    uploads: dict[str, Upload],
    gateway: Gateway,
    max_bytes: int,
) -> AssistantRun:
    """Save the run (web): tables are found at once; anything else goes to a background job
    (a document part by part, the others in one call whose text the result page follows)."""
    launch = await _prepare(db, user=user, spec=spec, raw=raw, uploads=uploads,
                            gateway=gateway, max_bytes=max_bytes)  # fmt: skip
    prepared = launch.prepared
    created = runs.create(db, user=user, spec=spec, raw=raw, prepared=prepared)
    if prepared.mode == "tables":
        created.data = _tables(prepared)
        created.status = "draft"
        created.draft = extraction.markdown(created)
    else:  # a model call: a background job, so the run ends whatever the browser does
        payload: dict[str, Any] = {"run_id": created.id}
        kind = jobs.STREAM
        if prepared.mode == "document":
            kind = jobs.DOCUMENT
            payload["name"] = next(
                a["filename"] for a in prepared.attachments.values() if a.get("kind") == "file"
            )
        enqueue(db, created, kind=kind, payload=payload)
    db.flush()
    return created


def enqueue(
    db: Session,
    run: AssistantRun,
    *,
    kind: str = jobs.STREAM,
    payload: dict[str, Any] | None = None,
) -> None:
    """Give a pending run its background job (by default the single streamed model call)."""
    job = queue.enqueue(
        db, tenant_id=run.tenant_id, user_id=run.user_id, kind=kind,
        queue=jobs.STREAM_QUEUE if kind == jobs.STREAM else jobs.QUEUE,
        payload=payload or {"run_id": run.id}, message="En attente du modèle",
    )  # fmt: skip
    run.job_id = job.id


async def complete(
    db: Session,
    *,
    user: User,
    spec: AssistantSpec,
    raw: dict[str, str],
    uploads: dict[str, Upload],
    gateway: Gateway,
    ctx: CallContext,
    max_bytes: int,
) -> RunResult:
    """The whole run in the call (API): the tables, the document part by part, or the single
    model call. Raises InputError (bad inputs) and ProviderError (no model, model failure)."""
    launch = await _prepare(db, user=user, spec=spec, raw=raw, uploads=uploads,
                            gateway=gateway, max_bytes=max_bytes)  # fmt: skip
    prepared = launch.prepared
    if prepared.mode == "tables":
        holder = AssistantRun(data=_tables(prepared))
        kept = extraction.selected(holder)
        return RunResult(markdown=extraction.markdown(holder), data={"tables": kept})
    assert launch.target is not None
    setup = {"context": launch.context, "gateway": gateway, "ctx": ctx, "target": launch.target,
             "sources": prepared.sources}  # fmt: skip
    if prepared.mode == "stream":
        return await run_to_end(spec, prepared.values, **setup)
    field = next(f.name for f in spec.fields_of(FieldKind.FILE) if f.name in prepared.attachments)
    total = RunResult()
    texts, parts = [], []
    for part in files.batches(prepared.attachments[field]["blocks"]):
        outcome = await run_to_end(spec, {**prepared.values, field: part}, **setup)
        texts.append(outcome.markdown.strip())
        parts.append({"notes": outcome.notes})
        total.truncated = total.truncated or outcome.truncated
        total.attempts += outcome.attempts
        for key, value in outcome.usage.items():
            total.usage[key] = total.usage.get(key, 0) + value
    total.markdown = "\n\n".join(texts) + "\n"
    total.notes = jobs.part_notes(parts)
    total.finish_reason = "length" if total.truncated else "stop"
    if total.truncated:
        total.data = {"warning": TRUNCATED_FR}
    return total
