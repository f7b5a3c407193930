"""The protocols of the three capabilities (chat, embeddings, transcription) and the errors a
chat provider may raise. Transcription errors and data types live with the meetings area
(`civia.providers.speech`), which every speech engine returns."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

    from civia.providers.speech import CancelCheck, ChunkCallback, ProgressCallback, Transcript

EmbedKind = Literal["query", "passage"]


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
    # Who asks (an opaque key set by the gateway): the embedded model's fair queue serves
    # users in turn. Never sent to a provider.
    user: str = ""


@dataclass
class ChatChunk:
    """A piece of a streamed answer. The last chunk carries `usage` and `finish_reason`."""

    text: str = ""
    finish_reason: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    # Set (with no text) while the request waits for a busy model: how many requests will be
    # served before it. Streams show « En file d'attente : N demande(s) avant la vôtre ».
    queued: int | None = None


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


@runtime_checkable
class Embedder(Protocol):
    """Text to vectors. `name` identifies the vector space: stored vectors are keyed by it, so
    vectors of two embedders are never compared."""

    name: str
    dim: int

    def embed(self, texts: list[str], *, kind: EmbedKind) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


@runtime_checkable
class Transcriber(Protocol):
    """Turns one recording into a transcript."""

    @property
    def name(self) -> str:
        """Model and engine, for the transcript record and evaluation reports."""
        ...

    def transcribe(
        self,
        path: str | Path,
        *,
        language: str | None = "fr",
        on_progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
        start_at: float = 0.0,
        on_chunk: ChunkCallback | None = None,
        vocabulary: Sequence[str] = (),
    ) -> Transcript:
        """Transcribe `path`; `language=None` lets the engine detect it. `start_at` skips what
        a previous run checkpointed; the returned transcript then holds only the rest.
        `vocabulary`: the collectivité's terms to spell right (civia.providers.vocabulary)."""
        ...
