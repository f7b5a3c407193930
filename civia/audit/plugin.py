"""The audit log as a plugin: its hash-chained tables."""

from __future__ import annotations

from types import ModuleType

from civia.plugins.hookspecs import hookimpl


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.audit import models  # deferred: `civia --help` imports no model

    return [models]
