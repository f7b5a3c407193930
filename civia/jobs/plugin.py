"""The jobs area as a plugin: the table of background jobs (kinds come from each area)."""

from __future__ import annotations

from types import ModuleType

from civia.plugins.hookspecs import hookimpl


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.jobs import models  # deferred: `civia --help` imports no model

    return [models]
