"""Conversations: pages, sending, streaming (SSE), stop, regenerate, rename, delete, search."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from sqlalchemy import update

from civia.accounts.models import User
from civia.assistants import access
from civia.assistants.spec import AssistantSpec
from civia.chat import conversations, recovery, stops
from civia.chat.admitted import AdmittedStream
from civia.chat.gateway import CallResult, call_context
from civia.chat.models import Conversation, Message, MessageStatus
from civia.db.base import utcnow
from civia.db.engine import affected, session_scope
from civia.governance import guards
from civia.privacy.routing import describe
from civia.providers.base import ChatRequest, ProviderError
from civia.providers.fair_queue import waiting_fr
from civia.web import grounded
from civia.web.deps import CurrentUser, Db, allow_assistant
from civia.web.ids import MAX_FORM_ID
from civia.web.json_schema import JSON_TAG, Regenerated, Sent, integer_only, responses
from civia.web.markdown import render as md
from civia.web.quota_gate import check_quota
from civia.web.render import render
from civia.web.sse import event as _sse

router = APIRouter(prefix="/conversations")
# A message needs one visible character: not a space for Python (`\x1c`-`\x1f`, `\x85`) nor
# for the JSON-schema (ECMA) regex of the OpenAPI schema (`\ufeff`). `_checked_content` gives
# the French message; the schema says the same to API clients and schemathesis.
VISIBLE = r"[^\s\x1c-\x1f\x85\ufeff]"
MessageText = Annotated[str, Form(json_schema_extra={"pattern": VISIBLE})]
OptionalId = Annotated[int | None, Form(ge=0, le=MAX_FORM_ID, json_schema_extra=integer_only)]
log = logging.getLogger("civia.chat")
STREAM_FAILED_FR = (
    "La génération s'est arrêtée sur une erreur du serveur ; le texte reçu est conservé. "
    "Vous pouvez régénérer."
)


def _assistant(db: Db, user: User, assistant_id: str) -> AssistantSpec:
    spec = access.find(db, user, assistant_id)
    if spec is None:
        raise HTTPException(404, "Cet assistant n'existe pas ou n'est pas disponible.")
    return spec


def _allowed(db: Db, user: User, spec: AssistantSpec) -> AssistantSpec:
    allow_assistant(db, user, spec.id)
    return spec


def _owned(db: Db, user: User, conversation_id: int) -> Conversation:
    conv = conversations.get_owned(db, user=user, conversation_id=conversation_id)
    if conv is None:  # another user's conversation is indistinguishable from a missing one
        raise HTTPException(404, "Cette conversation n'existe pas.")
    return conv


def _checked_content(request: Request, content: str) -> str:
    limit = request.app.state.settings.max_message_chars
    if not re.search(VISIBLE, content):
        raise HTTPException(422, "Le message est vide.")
    if len(content) > limit:
        raise HTTPException(
            413,
            f"Votre message fait {len(content):,} caractères ; la limite est de {limit:,}. "
            "Il n'a pas été envoyé et reste dans la zone de saisie : raccourcissez-le.".replace(
                ",", "\u202f"
            ),
        )
    return content


def _stream_url(conv: Conversation, answer: Message) -> str:
    return f"/conversations/{conv.id}/reponses/{answer.id}/flux"


def _sent(request: Request, conv: Conversation, user_msg: Message, answer: Message) -> Response:
    return JSONResponse(
        {
            "conversation_id": conv.id,
            "url": f"/conversations/{conv.id}",
            "title": conv.title,
            "user_html": md(user_msg.content),
            "answer_id": answer.id,
            "stream_url": _stream_url(conv, answer),
            "stop_url": f"/conversations/{conv.id}/reponses/{answer.id}/arret",
        }
    )


@router.get("/nouvelle")
def new_page(
    request: Request,
    db: Db,
    user: CurrentUser,
    assistant: str = "chat",
    collection: int | None = None,
    document: int | None = None,
) -> Response:
    return _new(request, db, user, assistant, "", collection=collection, document=document)


@router.post("/nouvelle")
def new_prefilled(
    request: Request,
    db: Db,
    user: CurrentUser,
    assistant: Annotated[str, Form()] = "chat",
    prefill: Annotated[str, Form(max_length=200_000)] = "",
) -> Response:
    """Open a conversation with a filled prompt (POSTed: its text stays out of URLs and logs)."""
    return _new(request, db, user, assistant, prefill)


def _new(
    request: Request,
    db: Db,
    user: User,
    assistant: str,
    prefill: str,
    *,
    collection: int | None = None,
    document: int | None = None,
) -> Response:
    spec = _assistant(db, user, assistant)
    models = [m for _, m in request.app.state.gateway.models(db, user.tenant_id)]
    scope = grounded.new_scope(db, user, collection_id=collection, document_id=document)
    return render(
        request, "chat.html", conv=None, assistant=spec, models=models, md=md, prefill=prefill,
        grounding=scope,
    )  # fmt: skip


@router.post("", tags=[JSON_TAG], responses=responses(200, Sent, 404, 413, 429))
def create(
    request: Request,
    db: Db,
    user: CurrentUser,
    content: MessageText,
    assistant: Annotated[str, Form()] = "chat",
    model: Annotated[str, Form()] = "",
    collection_id: OptionalId = None,
    document_id: OptionalId = None,
) -> Response:
    _allowed(db, user, _assistant(db, user, assistant))
    check_quota(request, db, user)
    content = _checked_content(request, content)
    conv = conversations.create(db, user=user, assistant_id=assistant)
    conv.model = model
    grounded.attach(db, user, conv, collection_id=collection_id, document_id=document_id)
    user_msg, answer = conversations.add_exchange(db, conv, content)
    return _sent(request, conv, user_msg, answer)


@router.get("/liste")
def sidebar(request: Request, db: Db, user: CurrentUser, q: str = "") -> Response:
    items = conversations.list_for(db, user=user, query=q[:200])
    return render(request, "partials/conversation_list.html", conversations=items, q=q)


@router.get("/{conversation_id}")
def page(request: Request, db: Db, user: CurrentUser, conversation_id: int) -> Response:
    conv = _owned(db, user, conversation_id)
    spec = access.find(db, user, conv.assistant_id) or _assistant(db, user, "chat")
    models = [m for _, m in request.app.state.gateway.models(db, user.tenant_id)]
    return render(
        request, "chat.html", conv=conv, assistant=spec, models=models, md=md,
        grounding=grounded.history_view(db, conv),
    )  # fmt: skip


@router.post(
    "/{conversation_id}/messages",
    tags=[JSON_TAG],
    responses=responses(200, Sent, 404, 409, 413, 429),
)
def send(
    request: Request,
    db: Db,
    user: CurrentUser,
    conversation_id: int,
    content: MessageText,
) -> Response:
    conv = _owned(db, user, conversation_id)
    check_quota(request, db, user)
    content = _checked_content(request, content)
    if any(m.status in (MessageStatus.PENDING, "streaming") for m in conv.messages):
        raise HTTPException(409, "Une réponse est déjà en cours : attendez-la ou arrêtez-la.")
    user_msg, answer = conversations.add_exchange(db, conv, content)
    return _sent(request, conv, user_msg, answer)


@router.post(
    "/{conversation_id}/regenerer",
    tags=[JSON_TAG],
    responses=responses(200, Regenerated, 404, 409),
)
def regenerate(request: Request, db: Db, user: CurrentUser, conversation_id: int) -> Response:
    conv = _owned(db, user, conversation_id)
    if any(m.status in (MessageStatus.PENDING, "streaming") for m in conv.messages):
        raise HTTPException(409, "Une réponse est déjà en cours : attendez-la ou arrêtez-la.")
    answer = conversations.regenerate(db, conv)
    if answer is None:
        raise HTTPException(422, "Il n'y a pas de question à laquelle répondre.")
    return JSONResponse(
        {
            "answer_id": answer.id,
            "stream_url": _stream_url(conv, answer),
            "stop_url": f"/conversations/{conv.id}/reponses/{answer.id}/arret",
        }
    )


@router.post(
    "/{conversation_id}/reponses/{message_id}/arret",
    status_code=204,
    tags=[JSON_TAG],
    responses=responses(204, None, 404),
)
def stop(
    request: Request, db: Db, user: CurrentUser, conversation_id: int, message_id: int
) -> Response:
    conv = _owned(db, user, conversation_id)
    answer = db.get(Message, message_id)
    if answer is None or answer.conversation_id != conv.id or answer.role != "assistant":
        raise HTTPException(404, "Cette réponse n'existe pas.")
    stops.request_stop(db, answer.id, redis_url=request.app.state.settings.redis_url)
    return Response(status_code=204)


@router.get("/{conversation_id}/reponses/{message_id}/flux")
def stream(
    request: Request, db: Db, user: CurrentUser, conversation_id: int, message_id: int
) -> Response:
    conv = _owned(db, user, conversation_id)
    answer = next((m for m in conv.messages if m.id == message_id and m.role == "assistant"), None)
    if answer is None:
        raise HTTPException(404, "Cette réponse n'existe pas.")
    spec = _allowed(
        db, user, access.find(db, user, conv.assistant_id) or _assistant(db, user, "chat")
    )
    # Claim the pending answer atomically: a double submit or a second tab cannot run it twice.
    claimed = affected(
        db.execute(
            update(Message)
            .where(Message.id == answer.id, Message.status == MessageStatus.PENDING)
            .values(status="streaming", streamed_at=utcnow())
        )
    )
    db.commit()
    if not claimed:
        if answer.status == "streaming" and recovery.mark_interrupted(db, answer.id):
            db.commit()  # its process died: say so now rather than « busy » forever
            db.refresh(answer)
        return StreamingResponse(_replay(answer), media_type="text/event-stream")
    gateway = request.app.state.gateway
    try:
        target = gateway.resolve(db, user.tenant_id, conv.model)
    except ProviderError as exc:
        _finish(request, answer.id, "", MessageStatus.ERROR, exc.message_fr, "")
        return StreamingResponse(_replay_error(exc.message_fr), media_type="text/event-stream")
    prepared = grounded.prepare(db, user, conv, answer, spec.instructions)
    if prepared is not None and not prepared.found:
        return StreamingResponse(
            grounded.not_found(request, answer.id, prepared.reply), media_type="text/event-stream"
        )
    chat_request = ChatRequest(
        messages=prepared.messages if prepared else conversations.history(conv, spec, upto=answer),
        max_tokens=request.app.state.settings.max_tokens,
    )
    ctx = call_context(
        user,
        source="web",
        assistant=spec,
        conversation_id=conv.id,
        request_id=request.state.request_id,
    )
    watch = stops.StopWatch(
        request.app.state.sessions, answer.id, redis_url=request.app.state.settings.redis_url
    )

    async def alive(result: CallResult) -> None:
        """Every SAVE_EVERY_S, chunks or not (a long prompt's first token can take minutes):
        the text so far, and that this process still streams the answer."""
        while True:
            await asyncio.sleep(recovery.SAVE_EVERY_S)
            await asyncio.to_thread(
                recovery.save_partial, request.app.state.sessions, answer.id, result.text
            )

    async def events() -> AsyncIterator[str]:
        result = CallResult()
        status, error = MessageStatus.STOPPED, ""
        beat = asyncio.create_task(alive(result))
        try:
            # Closed here on a stop, not whenever the generator is collected: its usage row
            # is written before the answer's `done` event.
            async with contextlib.aclosing(
                gateway.stream(ctx, target, chat_request, result, admission)
            ) as chunks:
                async for chunk in chunks:
                    if await watch.requested():
                        break
                    if chunk.queued is not None:  # the local model is busy: say where we stand
                        yield _sse(
                            "queued", {"position": chunk.queued, "label": waiting_fr(chunk.queued)}
                        )
                    if chunk.text:
                        yield _sse("token", {"t": chunk.text})
                else:
                    status = MessageStatus.OK
        except ProviderError as exc:
            status, error = MessageStatus.ERROR, f"{exc.message_fr} (réf. {ctx.request_id})"
        except Exception:  # the answer still ends, saved with what came and a French reason
            log.exception("stream failed request_id=%s", ctx.request_id)
            status, error = MessageStatus.ERROR, f"{STREAM_FAILED_FR} (réf. {ctx.request_id})"
        finally:
            beat.cancel()
            await asyncio.to_thread(watch.clear)
            _finish(request, answer.id, result.text, status, error, target.model)
        masked = describe(result.masked) if result.masked and result.outcome != "refused" else ""
        extra = {"html": md(result.text)}
        if prepared is not None:  # citations become links; the sources follow the answer
            extra = grounded.finish(request, answer.id, result.text, prepared)
        figures = result.figures
        if figures is not None and figures.footprint_fr():  # shown under the answer
            extra["footprint"] = figures.footprint_fr()
        yield _sse("done", {"status": status, "error": error, "masked": masked, **extra})

    try:  # the one admission of the call (the guard ran above, the quotas now), last: nothing
        # fails between it and the response, which gives its hold back however it ends
        admission = gateway.admit_call(
            db, user, ctx, target, chat_request, checked=guards.call_guard
        )
    except ProviderError as exc:  # over a quota: the answer ends as the stream would end it
        error = f"{exc.message_fr} (réf. {ctx.request_id})"
        _finish(request, answer.id, "", MessageStatus.ERROR, error, target.model)
        return StreamingResponse(_replay_error(error), media_type="text/event-stream")
    return AdmittedStream(events(), admission)


def _finish(
    request: Request, message_id: int, text: str, status: str, error: str, model: str
) -> None:
    with session_scope(request.app.state.sessions) as db:
        msg = db.get(Message, message_id)
        if msg is not None:
            msg.content, msg.status, msg.error, msg.model = text, status, error, model


async def _replay(answer: Message) -> AsyncIterator[str]:
    status = answer.status if answer.status != "streaming" else "busy"
    yield _sse("done", {"status": status, "html": md(answer.content), "error": answer.error})


async def _replay_error(message: str) -> AsyncIterator[str]:
    yield _sse("done", {"status": MessageStatus.ERROR, "html": "", "error": message})


@router.post("/{conversation_id}/renommer")
def rename(
    request: Request,
    db: Db,
    user: CurrentUser,
    conversation_id: int,
    title: Annotated[str, Form(max_length=200)],
) -> Response:
    conv = _owned(db, user, conversation_id)
    conversations.rename(conv, title)
    if request.headers.get("hx-request"):
        return sidebar(request, db, user)
    return RedirectResponse(f"/conversations/{conv.id}", status_code=303)


@router.post("/{conversation_id}/supprimer")
def delete(request: Request, db: Db, user: CurrentUser, conversation_id: int) -> Response:
    conv = _owned(db, user, conversation_id)
    conversations.remove(db, conv)
    done = "/?ok=conversation-supprimee"  # the home page confirms it
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": done})
    return RedirectResponse(done, status_code=303)
