"""Plugin hooks: providers (built-in or third-party) register the provider kinds they offer."""

from __future__ import annotations

from collections.abc import Callable

import pluggy

hookspec = pluggy.HookspecMarker("civia")
hookimpl = pluggy.HookimplMarker("civia")


@hookspec
def register_provider_kinds(register: Callable[..., None]) -> None:
    """Call `register(kind, factory, capability=..., label=..., in_process=...)` once per kind.

    `capability` is "chat" (factory returns a ChatModel), "embeddings" (an Embedder) or
    "transcription" (a Transcriber); `factory(config, settings)` builds it from a provider row.
    """
