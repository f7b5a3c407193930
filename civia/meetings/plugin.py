"""The meetings area as a plugin: meetings, transcripts and minutes; the transcription and
minutes jobs; its retention purgers, data-rights section and text store.

Hooks import what they register when called: `civia --help` imports none of it."""

from __future__ import annotations

from types import ModuleType

from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import JobKind, Purger, RightsSection, TextStore
from civia.settings import Settings


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.meetings import models

    return [models]


@hookimpl
def register_job_kinds() -> list[JobKind]:
    from civia.jobs.registry import kinds_in
    from civia.meetings import jobs, minutes

    return kinds_in(jobs, minutes)


@hookimpl
def register_governance(settings: Settings) -> list[Purger | RightsSection | TextStore]:
    from civia.meetings import erasure, retention

    return [*retention.governance_items(), *erasure.text_stores()]
