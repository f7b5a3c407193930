"""The accounts area as a plugin: collectivités, services, users, sessions and API tokens."""

from __future__ import annotations

from types import ModuleType

from civia.plugins.hookspecs import hookimpl


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.accounts import models  # deferred: `civia --help` imports no model

    return [models]
