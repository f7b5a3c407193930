"""The documents area as a plugin: collections, documents and passages; the ingestion,
re-indexing and re-embedding jobs; its retention purger, data-rights section and text stores.

Hooks import what they register when called: `civia --help` imports none of it."""

from __future__ import annotations

from types import ModuleType

from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import JobKind, Purger, RightsSection, TextStore
from civia.settings import Settings


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.documents import models

    return [models]


@hookimpl
def register_job_kinds() -> list[JobKind]:
    from civia.documents import jobs, reembed
    from civia.jobs.registry import kinds_in

    return kinds_in(jobs, reembed)


@hookimpl
def register_governance(settings: Settings) -> list[Purger | RightsSection | TextStore]:
    from civia.documents import hooks, text_store

    return [*hooks.governance_items(settings.data_dir), *text_store.text_stores(settings.data_dir)]


@hookimpl
def startup(settings: Settings) -> None:
    from civia.documents import storage

    storage.sweep_incoming(settings.data_dir)  # partial uploads left by a stopped server
