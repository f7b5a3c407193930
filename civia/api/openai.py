"""OpenAI-compatible API (/v1/models, /v1/chat/completions), authenticated by per-user tokens.

Every call goes through the same gateway as the web UI, so it is attributed to its user and
recorded as a usage event. `model="assistant:<id>"` runs a Civia assistant.
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.api.catalogue import models_of
from civia.assistants import access, api_files, launch
from civia.assistants.inputs import InputError
from civia.assistants.spec import AssistantSpec, FieldKind
from civia.chat.admitted import AdmittedStream
from civia.chat.gateway import (
    Admission,
    Blocked,
    CallContext,
    CallResult,
    Gateway,
    Resolved,
    call_context,
)
from civia.governance import guards
from civia.providers.base import ChatMessage, ChatRequest, ProviderError
from civia.settings import Settings
from civia.usage import ledger
from civia.usage.models import LedgerEntry, UsageEvent
from civia.web.deps import ApiUser, Db
from civia.web.errors import ApiError
from civia.web.uploads.limit import Limit

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])


def _api_max_bytes(settings: Settings) -> int:
    """A file as big as the assistant form accepts, in base64 (4/3), and the messages
    (max_message_chars * 4 accepted, up to 4 bytes a character once JSON-escaped)."""
    file_bytes = settings.assistant_upload_max_mb * 1_000_000
    return file_bytes * 4 // 3 + settings.max_message_chars * 16 + 1_000_000


LIMIT = Limit(
    r"/v1/chat/completions$",
    _api_max_bytes,
    lambda s: (
        f"La requête dépasse la taille maximale autorisée ({_api_max_bytes(s) // 1_000_000} Mo, "
        f"fichiers en base64 compris : {s.assistant_upload_max_mb} Mo par fichier)."
    ),
)


def error_response(
    status: int, message: str, kind: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"message": message, "type": kind, "code": status}}
    return JSONResponse(body, status, headers=headers)


def _allow(db: Db, user: User, assistant_id: str) -> None:
    """The comité's kill switch and training requirement, once per call: a chat call hands its
    admission to the gateway (`Gateway.admit_call`), which does not check them again."""
    try:
        guards.check_assistant(db, user=user, assistant_id=assistant_id, source="api")
    except guards.AssistantBlocked as exc:
        raise ApiError(403, exc.message, "permission_error") from None


def _provider_error(exc: ProviderError, request_id: str) -> ApiError:
    from civia.usage.quotas import QuotaExceeded

    if isinstance(exc, QuotaExceeded):
        headers = {"Retry-After": str(exc.retry_after)}
        return ApiError(429, exc.message_fr, "rate_limit_error", headers)
    if isinstance(exc, Blocked):
        return ApiError(403, exc.message_fr, "permission_error")
    return ApiError(502, f"{exc.message_fr} (réf. {request_id})", "provider_error")


class ApiErrorBody(BaseModel):
    message: str
    type: str
    code: int


class ApiErrorOut(BaseModel):
    """Errors of the API, in OpenAI's shape (messages in French)."""

    error: ApiErrorBody


class ValidationOut(BaseModel):
    """A request that does not match the schema (the fields named in French)."""

    detail: str


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    described = {
        401: "Jeton d'API absent, invalide ou révoqué",
        403: "Charte non acceptée, formation requise ou assistant suspendu",
        404: "Modèle ou assistant inconnu",
        413: "Messages trop longs",
        502: "Le fournisseur du modèle n'a pas répondu",
    }
    out: dict[int | str, dict[str, Any]] = {
        status: {"model": ApiErrorOut, "description": described[status]} for status in statuses
    }
    out[400] = {"model": ValidationOut, "description": "Corps illisible (pas du JSON en UTF-8)"}
    out[422] = {"model": ValidationOut, "description": "Requête invalide"}
    return out


def _admit(
    request: Request, db: Db, user: User, ctx: CallContext, target: Resolved, chat: ChatRequest
) -> Admission:
    """The call's one admission (the route has just run the comité's guard): quotas counted and
    the reserve held now, so that a refusal is a 429 even when the answer is streamed."""
    gateway: Gateway = request.app.state.gateway
    try:
        return gateway.admit_call(db, user, ctx, target, chat, checked=guards.call_guard)
    except ProviderError as exc:
        raise _provider_error(exc, ctx.request_id) from None


class InMessage(BaseModel):
    """`content` is a string, or OpenAI content parts: `text` parts, and `file` parts
    (`{"file": {"filename": …, "file_data": "data:…;base64,…"}}`) for assistants with a file
    field."""

    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "user", "assistant"]
    content: str | list[dict[str, Any]]

    @property
    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return "\n".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")


class StreamOptions(BaseModel):
    include_usage: bool = False


class CompletionIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str = ""
    messages: list[InMessage] = Field(min_length=1)
    stream: bool = False
    max_tokens: int | None = Field(None, ge=1, le=32_768)
    max_completion_tokens: int | None = Field(None, ge=1, le=32_768)
    temperature: float = Field(0.3, ge=0, le=2)
    top_p: float | None = Field(None, gt=0, le=1)
    seed: int | None = None
    stop: str | list[str] | None = None
    stream_options: StreamOptions | None = None


@router.get("/models", responses=_errors(401, 403))
def list_models(request: Request, db: Db, user: ApiUser) -> dict[str, Any]:
    gateway = request.app.state.gateway
    seen: dict[str, str] = {}
    for provider, model in gateway.models(db, user.tenant_id):
        seen.setdefault(model, provider)
    data = [{"id": m, "object": "model", "created": 0, "owned_by": p} for m, p in seen.items()]
    data += [
        {"id": f"assistant:{a.id}", "object": "model", "created": 0, "owned_by": "civia"}
        for a in access.available(db, user)
    ]
    data += models_of(db, user.tenant_id, request.app.state.settings)
    return {"object": "list", "data": data}


@router.post(
    "/chat/completions",
    response_model=None,
    responses={
        200: {
            "description": "La réponse, ou un flux SSE de morceaux quand `stream` est vrai",
            "content": {"application/json": {}, "text/event-stream": {}},
        },
        **_errors(401, 403, 404, 413, 502),
    },
)
async def chat_completions(request: Request, db: Db, user: ApiUser, body: CompletionIn) -> Response:
    settings = request.app.state.settings
    messages = [ChatMessage(m.role, m.text) for m in body.messages]
    total = sum(len(m.content) for m in messages)
    if total > settings.max_message_chars * 4:
        raise ApiError(413, f"Messages trop longs ({total} caractères).")
    model, chat_spec = body.model, None
    if not model.startswith("assistant:"):  # a plain model name is the general chat
        _allow(db, user, guards.GENERAL_CHAT)
    else:
        spec = access.find(db, user, model.removeprefix("assistant:"))
        if spec is None:
            raise ApiError(404, f"Assistant inconnu : {model}.", "not_found_error")
        _allow(db, user, spec.id)
        if not spec.is_chat:
            return await _form_assistant(request, db, user, spec, body)
        chat_spec, model = spec, ""
        messages = [ChatMessage("system", spec.instructions), *messages]
    try:
        target = request.app.state.gateway.resolve(db, user.tenant_id, model)
    except ProviderError as exc:
        raise ApiError(404, exc.message_fr, "not_found_error") from None
    chat_request = ChatRequest(
        messages=messages,
        max_tokens=body.max_completion_tokens or body.max_tokens or settings.max_tokens,
        temperature=body.temperature,
        stop=[body.stop] if isinstance(body.stop, str) else list(body.stop or [])[:4],
        top_p=body.top_p,
        seed=body.seed,
    )
    ctx = call_context(user, source="api", assistant=chat_spec, request_id=request.state.request_id)
    name = body.model or target.model
    # Quotas read the ledger and may ask Redis: in a thread, not on the event loop.
    admission = await anyio.to_thread.run_sync(_admit, request, db, user, ctx, target, chat_request)
    if body.stream:
        include_usage = bool(body.stream_options and body.stream_options.include_usage)
        # Whatever way the response ends, a hold its body never took is given back.
        return AdmittedStream(
            _stream(request, ctx, target, chat_request, name, include_usage, admission), admission
        )
    result = CallResult()
    try:
        async for _ in request.app.state.gateway.stream(
            ctx, target, chat_request, result, admission
        ):
            pass
    except ProviderError as exc:
        raise _provider_error(exc, ctx.request_id) from None
    return JSONResponse(_completion(ctx, name, result))


def _usage(result: CallResult) -> dict[str, Any]:
    p, c = result.usage.get("prompt_tokens", 0), result.usage.get("completion_tokens", 0)
    usage: dict[str, Any] = {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}
    if result.figures is not None:  # as OpenGateLLM: € and the footprint's ranges
        usage["cost"] = result.figures.cost_eur
        usage["carbon"] = result.figures.carbon()
    return usage


def content_frame(base: dict[str, Any]) -> Callable[[str], str]:
    """The SSE event of a content delta, as `json.dumps` of the whole chunk would write it,
    with only the text encoded per chunk (the constant parts are encoded once per call)."""
    marker = uuid.uuid4().hex  # cannot occur in `base` by chance (the model name is the client's)
    payload = {
        **base,
        "choices": [{"index": 0, "delta": {"content": marker}, "finish_reason": None}],
    }
    head, _, tail = json.dumps(payload, ensure_ascii=False).partition(f'"{marker}"')
    head, tail = f"data: {head}", f"{tail}\n\n"
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    return lambda text: head + dumps(text) + tail


async def _stream(
    request: Request,
    ctx: CallContext,
    target: Resolved,
    chat_request: ChatRequest,
    name: str,
    include_usage: bool,
    admission: Admission,
) -> AsyncIterator[str]:
    base = {
        "id": f"chatcmpl-{ctx.request_id}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": name,
    }

    def chunk(delta: dict[str, str], finish: str | None = None, **more: Any) -> str:
        payload = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return f"data: {json.dumps(payload | more, ensure_ascii=False)}\n\n"

    content = content_frame(base)
    result = CallResult()
    yield chunk({"role": "assistant", "content": ""})
    try:
        # Closed here when the client leaves, not whenever the generator is collected.
        async with contextlib.aclosing(
            request.app.state.gateway.stream(ctx, target, chat_request, result, admission)
        ) as parts:
            async for part in parts:
                if part.text:
                    yield content(part.text)
    except ProviderError as exc:
        error = {"message": f"{exc.message_fr} (réf. {ctx.request_id})", "type": "provider_error"}
        yield f"data: {json.dumps({'error': error}, ensure_ascii=False)}\n\n"
        return
    yield chunk({}, result.finish_reason, usage=_usage(result))  # cost and carbon included
    if include_usage:
        yield f"data: {json.dumps({**base, 'choices': [], 'usage': _usage(result)})}\n\n"
    yield "data: [DONE]\n\n"


def form_values(spec: AssistantSpec, content: str) -> dict[str, str]:
    """The last user message is either a JSON object of field values, or the main text field."""
    stripped = content.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ApiError(422, f"JSON des champs illisible : {exc.msg}.") from None
        if not isinstance(data, dict):
            raise ApiError(422, "Le JSON des champs doit être un objet.")
        return {str(k): str(v) for k, v in data.items()}
    main = next((f for f in spec.fields if f.kind is FieldKind.LONG_TEXT), spec.fields[0])
    return {main.name: content}


async def _form_assistant(
    request: Request, db: Db, user: User, spec: AssistantSpec, body: CompletionIn
) -> Response:
    """Run a form assistant and answer with its Markdown draft (one content chunk when streamed)."""
    last = next((m for m in reversed(body.messages) if m.role == "user"), None)
    if last is None:
        raise ApiError(422, "Aucun message utilisateur.")
    ctx = call_context(user, source="api", assistant=spec, request_id=request.state.request_id)
    settings = request.app.state.settings
    max_bytes = int(settings.assistant_upload_max_mb) * 1_000_000
    try:
        outcome = await launch.complete(
            db, user=user, spec=spec, raw=form_values(spec, last.text),
            uploads=api_files.uploads(spec, last.content, max_bytes=max_bytes),
            gateway=request.app.state.gateway, ctx=ctx, max_bytes=max_bytes,
        )  # fmt: skip
    except InputError as exc:
        raise ApiError(422, " ".join(exc.errors.values())) from None
    except ProviderError as exc:
        raise _provider_error(exc, ctx.request_id) from None
    name = f"assistant:{spec.id}"
    result = CallResult(text=outcome.markdown, usage=outcome.usage)
    result.finish_reason = outcome.finish_reason if outcome.truncated else "stop"
    with request.app.state.sessions() as fresh:  # the ledger rows were committed by the gateway
        result.figures = request_figures(fresh, user.tenant_id, ctx.request_id)
    if body.stream:
        return StreamingResponse(_replay(ctx, name, result), media_type="text/event-stream")
    extra = {"data": outcome.data, "warning": outcome.warning}
    return JSONResponse(_completion(ctx, name, result) | {"civia": extra})


def request_figures(db: Session, tenant_id: int, request_id: str) -> ledger.Figures | None:
    """The cost and footprint of every model call a request made (a form assistant may make
    several: parts, a repair attempt), summed; None when no call has its ledger row."""
    kwh_min, kwh_max = LedgerEntry.energy_kwh_min, LedgerEntry.energy_kwh_max
    gwp_min, gwp_max = LedgerEntry.gwp_kgco2eq_min, LedgerEntry.gwp_kgco2eq_max
    row = db.execute(
        select(
            func.count(LedgerEntry.id), func.count(kwh_min), func.count(gwp_min),
            func.sum(LedgerEntry.cost_eur), func.sum(kwh_min), func.sum(kwh_max),
            func.sum(gwp_min), func.sum(gwp_max),
        )
        .join(UsageEvent, UsageEvent.id == LedgerEntry.usage_event_id)
        .where(UsageEvent.tenant_id == tenant_id, UsageEvent.request_id == request_id)
    ).one()  # fmt: skip
    entries, with_kwh, with_gwp, cost, k_lo, k_hi, g_lo, g_hi = row
    if not entries:
        return None
    complete = with_kwh == entries and with_gwp == entries  # a partial sum would mislead
    return ledger.Figures(
        cost_eur=float(cost or 0.0),
        kwh=(float(k_lo or 0.0), float(k_hi or 0.0)) if complete else None,
        kgco2eq=(float(g_lo or 0.0), float(g_hi or 0.0)) if complete else None,
    )


def _completion(ctx: CallContext, name: str, result: CallResult) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{ctx.request_id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": name,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": result.text},
                "finish_reason": result.finish_reason,
            }
        ],
        "usage": _usage(result),
    }


async def _replay(ctx: CallContext, name: str, result: CallResult) -> AsyncIterator[str]:
    base = {
        "id": f"chatcmpl-{ctx.request_id}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": name,
    }
    ending = result.finish_reason
    for delta, finish in (({"role": "assistant", "content": result.text}, None), ({}, ending)):
        payload: dict[str, Any] = {
            **base,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        if finish:  # the last chunk carries the usage, cost and carbon, as in chat streams
            payload["usage"] = _usage(result)
        yield f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"
