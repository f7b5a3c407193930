"""The usage area as a plugin: one event per model call."""

from __future__ import annotations

from types import ModuleType

from civia.plugins.hookspecs import hookimpl


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.usage import models  # deferred: `civia --help` imports no model

    return [models]
