"""Any OpenAI-compatible server: vLLM, Albert API, Mistral, Ollama, llama.cpp server...

The API key is read at call time from an environment variable or a file; it is never stored
in the database nor written to logs.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx

from civia.providers import http_pool, secrets
from civia.providers.base import (
    ChatChunk,
    ChatRequest,
    ProviderBadResponse,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
)
from civia.providers.registry import ProviderConfig
from civia.settings import Settings

KIND = "openai_compat"


def resolve_api_key(config: ProviderConfig, settings: Settings) -> str:
    """The key, if the operator's credential still allows this collectivité and URL."""
    if config.key_refused:
        raise ProviderError(
            f"credential of provider {config.name!r} not allowed by the operator",
            config.key_refused,
        )
    if config.api_key_env:
        return os.environ.get(config.api_key_env, "")
    if config.api_key_file:
        try:
            return Path(config.api_key_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ProviderError(
                f"cannot read API key file for provider {config.name!r}: {exc.strerror}",
                "Clé d'accès du fournisseur illisible : prévenez l'administrateur.",
            ) from None
    return ""


class OpenAICompatible:
    def __init__(self, config: ProviderConfig, settings: Settings) -> None:
        self.name = config.name
        self.config = config
        self.settings = settings
        self.base_url = config.base_url.rstrip("/")
        self.timeout = httpx.Timeout(
            config.timeout_s or settings.provider_timeout_s,
            read=settings.provider_first_token_timeout_s,
            connect=10.0,
        )

    async def _headers(self) -> dict[str, str]:
        """The bearer header, once the base URL is checked again (its DNS answer may have
        changed since the admin saved it)."""
        try:
            if secrets.is_literal(self.base_url):  # no DNS lookup: no thread needed
                secrets.check_base_url(self.settings, self.base_url, resolve=True)
            else:
                await asyncio.to_thread(
                    secrets.check_base_url, self.settings, self.base_url, resolve=True
                )
        except secrets.KeySourceRefused as exc:
            raise ProviderError(f"base URL of {self.name!r} refused", str(exc)) from None
        key = resolve_api_key(self.config, self.settings)
        return {"Authorization": f"Bearer {key}"} if key else {}

    def list_models(self) -> list[str]:
        return list(self.config.models)

    async def fetch_models(self) -> list[str]:
        """Ask the server which models it serves (admin helper)."""
        try:
            resp = await http_pool.client().get(
                f"{self.base_url}/models", headers=await self._headers(), timeout=self.timeout
            )
            resp.raise_for_status()
            return [m["id"] for m in resp.json()["data"]]
        except httpx.HTTPError as exc:
            raise _translate(exc) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise ProviderBadResponse(f"bad /models payload: {exc!r}") from None

    def _payload(self, request: ChatRequest) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "model": request.model or (self.config.models[0] if self.config.models else ""),
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if request.stop:
            payload["stop"] = request.stop
        if request.top_p is not None:
            payload["top_p"] = request.top_p
        if request.seed is not None:
            payload["seed"] = request.seed
        for name in ("frequency_penalty", "presence_penalty"):
            if getattr(request, name) is not None:
                payload[name] = getattr(request, name)
        if request.json_schema is not None:
            payload["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "output", "schema": request.json_schema, "strict": True},
            }
        return payload

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        usage: dict[str, int] = {}
        finish: str | None = None
        pieces = 0
        try:
            async with http_pool.client().stream(
                "POST",
                f"{self.base_url}/chat/completions",
                json=self._payload(request),
                headers=await self._headers(),
                timeout=self.timeout,
            ) as resp:
                if resp.status_code >= 400:
                    body = (await resp.aread())[:500].decode("utf-8", "replace")
                    raise ProviderError(f"HTTP {resp.status_code} from {self.name}: {body}")
                async for line in resp.aiter_lines():
                    data = _sse_data(line)
                    if data is None:
                        continue
                    if data == "[DONE]":
                        break
                    text, finish_now, usage_now = _parse_chunk(data)
                    finish = finish_now or finish
                    usage = usage_now or usage
                    if text:
                        pieces += 1
                        yield ChatChunk(text=text)
                else:
                    if finish is None:
                        raise ProviderUnavailable("stream ended without [DONE] or finish_reason")
        except httpx.HTTPError as exc:
            raise _translate(exc) from None
        if not usage:  # servers that ignore stream_options (llama.cpp, older vLLM, Ollama)
            usage = _estimate_usage(request, pieces)
        yield ChatChunk(finish_reason=finish or "stop", usage=usage)


def _sse_data(line: str) -> str | None:
    line = line.strip()
    if not line or line.startswith(":") or not line.startswith("data:"):
        return None
    return line[5:].strip()


def _parse_chunk(data: str) -> tuple[str, str | None, dict[str, int]]:
    try:
        obj = json.loads(data)
        if "error" in obj:
            raise ProviderError(f"provider error event: {str(obj['error'])[:300]}")
        usage = obj.get("usage") or {}
        choices = obj.get("choices") or []
        if not choices:
            return "", None, _usage(usage)
        choice = choices[0]
        text = (choice.get("delta") or {}).get("content") or ""
        if not isinstance(text, str):
            raise TypeError("content is not a string")
        return text, choice.get("finish_reason"), _usage(usage)
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise ProviderBadResponse(f"unparseable stream chunk: {exc!r}") from None


def _estimate_usage(request: ChatRequest, pieces: int) -> dict[str, int]:
    """One streamed piece is one token on these servers; ~4 characters per prompt token plus the
    chat template's few tokens per message. Recorded as an estimate (UsageEvent.extra)."""
    chars = sum(len(m.content) for m in request.messages)
    prompt = chars // 4 + 5 * len(request.messages) + 3
    return {"prompt_tokens": prompt, "completion_tokens": pieces, "estimated": 1}


def _usage(usage: dict[str, Any]) -> dict[str, int]:
    return {
        k: int(usage[k]) for k in ("prompt_tokens", "completion_tokens") if usage.get(k) is not None
    }


def _translate(exc: httpx.HTTPError) -> ProviderError:
    if isinstance(exc, httpx.TimeoutException):
        return ProviderTimeout(f"timeout: {type(exc).__name__}")
    if isinstance(exc, httpx.ConnectError):
        return ProviderUnavailable(f"cannot connect: {exc}")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return ProviderUnavailable(
            f"connection lost mid-stream: {type(exc).__name__}",
            "La connexion au modèle a été interrompue pendant la réponse. "
            "Le début de la réponse est conservé ; vous pouvez régénérer.",
        )
    return ProviderError(f"http error: {type(exc).__name__}: {exc}")


def register_provider_kinds(register: Callable[..., None]) -> None:
    register(KIND, OpenAICompatible, capability="chat", label="Serveur compatible OpenAI")
