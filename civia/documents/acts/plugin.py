"""Acts (délibérations, arrêtés) as a plugin: their tables, import and embedding jobs, and the
`civia acts` commands.

Hooks import what they register when called: `civia --help` imports only the command group."""

from __future__ import annotations

from types import ModuleType

import click

from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import JobKind


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.documents.acts import models

    return [models]


@hookimpl
def register_job_kinds() -> list[JobKind]:
    from civia.documents.acts import jobs
    from civia.jobs.registry import kinds_in

    return kinds_in(jobs)


@hookimpl
def register_commands() -> list[click.Command]:
    from civia.documents.acts.cli import acts_group

    return [acts_group]
