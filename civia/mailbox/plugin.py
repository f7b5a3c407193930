"""The shared mailbox area, registered like any plugin."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import click

from civia.accounts import roles
from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import (
    JobKind,
    MenuLink,
    PeriodicTask,
    Purger,
    RightsSection,
    Route,
    TextStore,
)
from civia.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.mailbox import models

    return [models]


@hookimpl
def register_routes(settings: Settings) -> list[Route]:
    from civia.mailbox import admin_routes, routes

    return [Route(admin_routes.router), Route(routes.router)]


@hookimpl
def register_job_kinds() -> list[JobKind]:
    from civia.jobs.registry import kinds_in
    from civia.mailbox import jobs

    return kinds_in(jobs)


@hookimpl
def register_template_folders() -> list[Path]:
    return [TEMPLATES]


@hookimpl
def register_menu_links() -> list[MenuLink]:
    return [
        MenuLink("Courriels", "/courriels", order=60),
        MenuLink("Boîtes partagées", "/admin/courriels", roles=roles.ADMINS, order=200),
    ]


@hookimpl
def register_periodic_tasks(settings: Settings) -> list[PeriodicTask]:
    from civia.mailbox import fetch, jobs

    tasks = [PeriodicTask("mailbox-analyse", 30.0, jobs.periodic_analysis)]
    if settings.mailbox_fetch_minutes:
        tasks.append(
            PeriodicTask("mailbox-fetch", settings.mailbox_fetch_minutes * 60, fetch.fetch_all)
        )
    return tasks


@hookimpl
def register_commands() -> list[click.Command]:
    from civia.mailbox.cli import mailbox

    return [mailbox]


@hookimpl
def register_governance(settings: Settings) -> list[Purger | RightsSection | TextStore]:
    from civia.mailbox import governance

    return governance.governance_items()
