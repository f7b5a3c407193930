"""The governance area as a plugin: charter, training, use cases, incidents and settings
tables; the text stores of the core areas (conversations, runs, prompts, incidents, comments,
jobs) walked by the erasure of a cited person.

Hooks import what they register when called: `civia --help` imports none of it."""

from __future__ import annotations

from types import ModuleType

from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import CallGuard, TextStore
from civia.settings import Settings


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.governance import models

    return [models]


@hookimpl
def register_governance(settings: Settings) -> list[TextStore]:
    from civia.governance import text_stores_builtin

    return text_stores_builtin.text_stores()


@hookimpl
def register_call_guards() -> list[CallGuard]:
    from civia.governance import guards

    return [guards.call_guard]
