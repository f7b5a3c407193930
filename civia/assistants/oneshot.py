"""A whole assistant run in one call, for the API: the same preparation as the web form
(files, collections, context check), then the tables, the document part by part, or the
single model call, returned as one `RunResult`."""

from __future__ import annotations

import asyncio

from sqlalchemy.orm import Session

from civia.assistants import extraction, files
from civia.assistants.context import assistant_context
from civia.assistants.models import AssistantRun
from civia.assistants.prepare import Upload, prepare
from civia.assistants.runner import TRUNCATED_FR, RunResult, run_to_end
from civia.assistants.spec import AssistantSpec, FieldKind
from civia.chat.gateway import CallContext, Gateway
from civia.db.models import User


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
    """Raises InputError (bad inputs) and ProviderError (no model, model failure)."""
    target = None if spec.output.kind == "tables" else gateway.resolve(db, user.tenant_id)
    embedder = None
    if spec.fields_of(FieldKind.COLLECTION):
        from civia.providers.resolve import embedder_for

        embedder = embedder_for(db, user.tenant_id)
    context = assistant_context(db, user.tenant)
    prepared = await asyncio.to_thread(
        lambda: prepare(
            db, user=user, spec=spec, raw=raw, uploads=uploads, context=context,
            target=target, embedder=embedder, max_bytes=max_bytes,
        )
    )  # fmt: skip
    if prepared.mode == "tables":
        attachment = next(a for a in prepared.attachments.values() if a.get("kind") == "tables")
        wish = next((v for k, v in prepared.inputs.items() if k not in prepared.attachments), "")
        holder = AssistantRun(data=extraction.initial_data(attachment, wish))
        kept = extraction.selected(holder)
        return RunResult(markdown=extraction.markdown(holder), data={"tables": kept})
    assert target is not None
    setup = {"context": context, "gateway": gateway, "ctx": ctx, "target": target,
             "sources": prepared.sources}  # fmt: skip
    if prepared.mode == "stream":
        return await run_to_end(spec, prepared.values, **setup)
    field = next(f.name for f in spec.fields_of(FieldKind.FILE) if f.name in prepared.attachments)
    total = RunResult()
    texts = []
    for part in files.batches(prepared.attachments[field]["blocks"]):
        outcome = await run_to_end(spec, {**prepared.values, field: part}, **setup)
        texts.append(outcome.markdown.strip())
        total.truncated = total.truncated or outcome.truncated
        total.attempts += outcome.attempts
        for key, value in outcome.usage.items():
            total.usage[key] = total.usage.get(key, 0) + value
    total.markdown = "\n\n".join(texts) + "\n"
    total.finish_reason = "length" if total.truncated else "stop"
    if total.truncated:
        total.data = {"warning": TRUNCATED_FR}
    return total
