"""OpenAI-compatible embeddings and transcriptions (/v1/embeddings, /v1/audio/transcriptions).

Same credentials and controls as the chat: an API token, the accepted charter, the comité's
call guards (assistant ids `embeddings` and `transcription`, so a collectivité can suspend them
as use cases), the quotas of the collectivité, service and user, and one `UsageEvent` with its
ledger row per call (source `api`). The provider is the one the collectivité configured for
search vectors or for speech (`civia.providers.resolve`), the embedded engines otherwise.
"""

from __future__ import annotations

import base64
import math
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from civia.accounts.models import Tenant
from civia.api.catalogue import provider_name
from civia.api.openai import (
    ApiError,
    ApiErrorOut,
    ApiUser,
    ValidationOut,
    _errors,
    _provider_error,
)
from civia.chat.gateway import call_context
from civia.db.engine import session_scope
from civia.providers import vocabulary
from civia.providers.audio import probe_audio
from civia.providers.base import ProviderError
from civia.providers.resolve import embedder_for, transcriber_for
from civia.providers.speech import Transcript, TranscriptionError
from civia.settings import Settings
from civia.usage import ledger
from civia.web.deps import Db
from civia.web.uploads.limit import Limit

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])

EMBEDDINGS = "embeddings"
TRANSCRIPTION = "transcription"
MAX_INPUTS = 2048  # as OpenAI
_CHUNK = 1 << 20


def _responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    out = _errors(*statuses)
    # Fields checked by the schema answer {"detail"}; texts checked by the route, OpenAI's shape.
    out[422] = {"model": ApiErrorOut | ValidationOut, "description": "Requête invalide"}
    out[400] = {
        "model": ApiErrorOut | ValidationOut,
        "description": "Corps illisible (JSON ou formulaire multipart mal formé)",
    }
    out[429] = {"model": ApiErrorOut, "description": "Quota ou débit de la collectivité dépassé"}
    return out


def _audio_bytes(settings: Settings) -> int:
    return settings.max_audio_mb * 1_000_000 + 1_000_000  # the recording and the form fields


AUDIO_LIMIT = Limit(
    r"/v1/audio/transcriptions$",
    _audio_bytes,
    lambda s: f"L'enregistrement dépasse la taille maximale autorisée ({s.max_audio_mb} Mo).",
)


Text = Annotated[str, Field(min_length=1)]


class EmbeddingsIn(BaseModel):
    """`input`: a text or a list of texts (token arrays are not accepted). `input_type`
    (Civia's extension, as Cohere's or Voyage's): `query` for a search query, `passage` (the
    default) for a text to be found; the embedded E5 model prefixes them differently.
    `dimensions` is not offered: vectors have the model's dimension."""

    model_config = ConfigDict(extra="ignore")
    model: str = ""
    input: Text | Annotated[list[Text], Field(min_length=1, max_length=MAX_INPUTS)]
    encoding_format: Literal["float", "base64"] = "float"
    input_type: Literal["query", "passage"] = "passage"
    user: str | None = None


def _texts(body: EmbeddingsIn, max_chars: int) -> list[str]:
    texts = [body.input] if isinstance(body.input, str) else list(body.input)
    for index, text in enumerate(texts):
        if len(text) > max_chars:
            raise ApiError(
                413, f"Le texte n° {index + 1} est trop long ({len(text)} caractères ; "
                f"{max_chars} au plus).",
            )  # fmt: skip
    return texts


def _admit(request: Request, user: Any, kind: str) -> Any:
    """The comité's guards and the quotas (a refusal is a 403 or a 429)."""
    ctx = call_context(user, source="api", request_id=request.state.request_id)
    ctx.assistant_id = kind
    try:
        request.app.state.gateway.admit(ctx)
    except ProviderError as exc:
        raise _provider_error(exc, ctx.request_id) from None
    return ctx


def _record(
    request: Request,
    ctx: Any,
    *,
    kind: str,
    provider: str,
    model: str,
    seconds: float,
    tokens: int,
    outcome: str = "ok",
    extra: dict[str, Any] | None = None,
) -> None:
    gateway = request.app.state.gateway
    gateway.quotas.consume(
        tenant_id=ctx.tenant_id, service_id=ctx.service_id, user_id=ctx.user_id, tokens=tokens
    )
    with session_scope(request.app.state.sessions) as db:
        ledger.record_call(
            db, tenant_id=ctx.tenant_id, user_id=ctx.user_id, service_id=ctx.service_id,
            kind=kind, provider_name=provider, model=model, seconds=seconds, tokens=tokens,
            outcome=outcome, extra=extra, source="api", request_id=ctx.request_id,
        )  # fmt: skip


@router.post("/embeddings", responses=_responses(401, 403, 404, 413, 502))
def embeddings(request: Request, db: Db, user: ApiUser, body: EmbeddingsIn) -> dict[str, Any]:
    """Vectors of texts from the collectivité's embedder (the one its search uses)."""
    settings: Settings = request.app.state.settings
    texts = _texts(body, settings.max_message_chars * 4)
    embedder = embedder_for(db, user.tenant_id, settings)
    if body.model and body.model != embedder.name:
        raise ApiError(
            404,
            f"Le modèle « {body.model} » n'est pas disponible pour les vecteurs ; "
            f"celui de votre collectivité est « {embedder.name} ».",
            "not_found_error",
        )
    provider = provider_name(db, user.tenant_id, "embeddings")
    ctx = _admit(request, user, EMBEDDINGS)
    counter = getattr(embedder, "count_tokens", None)  # the embedded model counts exactly
    if counter is not None:
        tokens = sum(int(counter(t, kind=body.input_type)) for t in texts)
    else:  # a server's count is not returned through the Embedder protocol: estimated
        tokens = sum(math.ceil(len(t) / 4) for t in texts)
    began = time.monotonic()
    try:
        vectors = np.asarray(embedder.embed(texts, kind=body.input_type), dtype=np.float32)
    except ProviderError as exc:
        _record(request, ctx, kind=EMBEDDINGS, provider=provider, model=embedder.name,
                seconds=time.monotonic() - began, tokens=0, outcome=exc.outcome)  # fmt: skip
        raise _provider_error(exc, ctx.request_id) from None
    _record(
        request, ctx, kind=EMBEDDINGS, provider=provider, model=embedder.name,
        seconds=time.monotonic() - began, tokens=tokens,
        extra={"inputs": len(texts), "tokens_estimated": counter is None},
    )  # fmt: skip
    data = []
    for index, vector in enumerate(vectors):
        encoded: Any = (
            base64.b64encode(vector.astype("<f4").tobytes()).decode("ascii")
            if body.encoding_format == "base64"
            else vector.tolist()
        )
        data.append({"object": "embedding", "index": index, "embedding": encoded})
    return {
        "object": "list",
        "data": data,
        "model": embedder.name,
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


Format = Literal["json", "text", "verbose_json", "srt", "vtt"]


@router.post(
    "/audio/transcriptions",
    response_model=None,
    responses={
        200: {
            "description": "La transcription (JSON, texte, SRT ou WebVTT selon `response_format`)",
            "content": {"application/json": {}, "text/plain": {}},
        },
        **_responses(401, 403, 404, 413, 502),
        415: {"model": ApiErrorOut, "description": "Fichier vide ou qui n'est pas un son lisible"},
    },
)
def transcriptions(
    request: Request,
    db: Db,
    user: ApiUser,
    file: Annotated[UploadFile, File(description="L'enregistrement (tout format lu par ffmpeg)")],
    model: Annotated[str, Form()] = "",
    language: Annotated[str, Form(max_length=10)] = "fr",
    response_format: Annotated[Format, Form()] = "json",
    prompt: Annotated[str, Form(max_length=2000)] = "",  # accepted, unused (as whisper servers)
    temperature: Annotated[float, Form(ge=0, le=1)] = 0.0,
) -> Response:
    """The transcript of one recording by the collectivité's speech engine; `language`
    defaults to French (empty: detected)."""
    settings: Settings = request.app.state.settings
    transcriber = transcriber_for(db, user.tenant_id, settings)
    tenant = db.get(Tenant, user.tenant_id)
    terms = vocabulary.of_profile(tenant.profile if tenant is not None else None)
    if model and model != transcriber.name:
        raise ApiError(
            404,
            f"Le modèle « {model} » n'est pas disponible pour la transcription ; "
            f"celui de votre collectivité est « {transcriber.name} ».",
            "not_found_error",
        )
    provider = provider_name(db, user.tenant_id, "transcription")
    folder = Path(settings.data_dir) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(file.filename or "audio").suffix[:10]
    with tempfile.NamedTemporaryFile(dir=folder, suffix=suffix) as saved:
        _save(file, saved, settings.max_audio_mb * 1_000_000)
        try:
            info = probe_audio(saved.name)
        except TranscriptionError as exc:
            raise ApiError(415, exc.message_fr) from None
        ctx = _admit(request, user, TRANSCRIPTION)
        began = time.monotonic()
        try:
            transcript = transcriber.transcribe(
                saved.name, language=language or None, vocabulary=terms
            )
        except TranscriptionError as exc:
            if exc.code != "no_speech":
                _record(request, ctx, kind=TRANSCRIPTION, provider=provider,
                        model=transcriber.name, seconds=time.monotonic() - began, tokens=0,
                        outcome="error", extra={"reason": exc.code})  # fmt: skip
                raise ApiError(422, exc.message_fr) from None
            transcript = Transcript([], language or "", info.duration or 0.0, transcriber.name)
        except ProviderError as exc:
            _record(request, ctx, kind=TRANSCRIPTION, provider=provider, model=transcriber.name,
                    seconds=time.monotonic() - began, tokens=0, outcome=exc.outcome)  # fmt: skip
            raise _provider_error(exc, ctx.request_id) from None
    _record(
        request, ctx, kind=TRANSCRIPTION, provider=provider, model=transcriber.name,
        seconds=time.monotonic() - began, tokens=0,
        extra={"audio_seconds": round(transcript.duration, 3)},
    )  # fmt: skip
    return _transcript_response(transcript, response_format)


def _save(upload: UploadFile, target: Any, max_bytes: int) -> None:
    size = 0
    while chunk := upload.file.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise ApiError(413, f"L'enregistrement dépasse {max_bytes // 1_000_000} Mo.")
        target.write(chunk)
    target.flush()
    if size == 0:
        raise ApiError(415, "Le fichier envoyé est vide.")


def _timestamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _transcript_response(transcript: Transcript, response_format: str) -> Response:
    segments = transcript.segments
    if response_format == "text":
        return PlainTextResponse(transcript.text + "\n")
    if response_format == "srt":
        blocks = [
            f"{n}\n{_timestamp(s.start, ',')} --> {_timestamp(s.end, ',')}\n{s.text}\n"
            for n, s in enumerate(segments, 1)
        ]
        return PlainTextResponse("\n".join(blocks))
    if response_format == "vtt":
        blocks = [
            f"{_timestamp(s.start, '.')} --> {_timestamp(s.end, '.')}\n{s.text}\n" for s in segments
        ]
        return PlainTextResponse("WEBVTT\n\n" + "\n".join(blocks), media_type="text/vtt")
    if response_format == "verbose_json":
        return JSONResponse(
            {
                "task": "transcribe",
                "language": transcript.language,
                "duration": round(transcript.duration, 3),
                "text": transcript.text,
                "segments": [
                    {"id": n, "start": round(s.start, 3), "end": round(s.end, 3), "text": s.text}
                    for n, s in enumerate(segments)
                ],
            }
        )
    return JSONResponse({"text": transcript.text})
