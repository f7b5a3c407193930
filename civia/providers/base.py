"""The chat protocol every provider implements, and the errors it may raise."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class ChatMessage:
    role: str  # system | user | assistant
    content: str


@dataclass
class ChatRequest:
    messages: list[ChatMessage]
    model: str = ""
    max_tokens: int = 512
    temperature: float = 0.3
    json_schema: dict[str, Any] | None = None  # constrained output when the provider supports it
    stop: list[str] = field(default_factory=list)
    top_p: float | None = None
    seed: int | None = None
    # Against loops that run into max_tokens: llama.cpp's repeat_penalty (1.0 = off) for the
    # embedded model; the OpenAI-compatible penalties (0.0 = off) for servers.
    repeat_penalty: float | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None


@dataclass
class ChatChunk:
    """A piece of a streamed answer. The last chunk carries `usage` and `finish_reason`."""

    text: str = ""
    finish_reason: str | None = None
    usage: dict[str, int] = field(default_factory=dict)


class ProviderError(Exception):
    """A provider failed. `message_fr` is safe to show to users; the rest goes to logs."""

    message_fr = "Le modèle n'a pas pu répondre. Réessayez dans un instant."
    outcome = "error"

    def __init__(self, detail: str, message_fr: str | None = None) -> None:
        super().__init__(detail)
        if message_fr:
            self.message_fr = message_fr


class ProviderUnavailable(ProviderError):
    message_fr = "Le serveur de modèle est injoignable. Votre message est conservé : réessayez."


class ProviderTimeout(ProviderError):
    message_fr = "Le modèle met trop de temps à répondre. Votre message est conservé : réessayez."
    outcome = "timeout"


class ProviderBadResponse(ProviderError):
    message_fr = "Le serveur de modèle a renvoyé une réponse illisible. Votre message est conservé."


@runtime_checkable
class ChatModel(Protocol):
    """A chat-capable provider. `stream` yields chunks; cancelling the iteration stops it."""

    name: str

    def list_models(self) -> list[str]: ...

    def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]: ...
