"""Registry of provider kinds, filled through pluggy (built-ins use the same hook as plugins)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pluggy

from civia.providers import hookspecs
from civia.providers.base import ChatModel
from civia.settings import Settings

Factory = Callable[["ProviderConfig", Settings], ChatModel]

DEFAULT_PLUGINS = ("civia.providers.local_llama", "civia.providers.openai_compat")


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
    tenant: str = ""  # the collectivité's slug: the operator's key allow-list is per tenant


@lru_cache
def plugin_manager() -> pluggy.PluginManager:
    import importlib

    pm = pluggy.PluginManager("civia")
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name)
    pm.load_setuptools_entrypoints("civia")
    return pm


@lru_cache
def provider_kinds() -> dict[str, Factory]:
    kinds: dict[str, Factory] = {}

    def register(kind: str, factory: Any) -> None:
        kinds[kind] = factory

    plugin_manager().hook.register_provider_kinds(register=register)
    return kinds


def build(config: ProviderConfig, settings: Settings) -> ChatModel:
    try:
        factory = provider_kinds()[config.kind]
    except KeyError:
        raise ValueError(f"unknown provider kind {config.kind!r}") from None
    return factory(config, settings)
