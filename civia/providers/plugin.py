"""The providers area as a plugin: the providers configured by admins."""

from __future__ import annotations

from types import ModuleType

from civia.plugins.hookspecs import hookimpl


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.providers import models  # deferred: `civia --help` imports no model

    return [models]
