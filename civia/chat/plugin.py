"""The chat area as a plugin: conversations and messages."""

from __future__ import annotations

from types import ModuleType

from civia.plugins.hookspecs import hookimpl


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.chat import models  # deferred: `civia --help` imports no model

    return [models]
