"""The assistants area as a plugin: definitions, versions, runs and saved prompts; the jobs that
run an assistant on a document or a batch; the files of a user's results in their data export.

Hooks import what they register when called: `civia --help` imports none of it."""

from __future__ import annotations

from types import ModuleType

from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import JobKind, RightsSection
from civia.settings import Settings


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.assistants import models

    return [models]


@hookimpl
def register_job_kinds() -> list[JobKind]:
    from civia.assistants import jobs
    from civia.jobs.registry import kinds_in

    return kinds_in(jobs)


@hookimpl
def register_governance(settings: Settings) -> list[RightsSection]:
    from civia.assistants import runs

    return [RightsSection("fichiers_des_resultats_d_assistants", export=runs.export_attachments)]
