"""The public assistant area, registered like any plugin: its tables, public pages (not behind
the charter gate: citizens have no account), settings and figures pages, menu links, the
retention purge and its command."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import click
from sqlalchemy.orm import Session

from civia.accounts import roles
from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import InUse, MenuLink, PeriodicTask, Route
from civia.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"
PURGE_SECONDS = 600.0


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.citizens import models

    return [models]


@hookimpl
def register_routes(settings: Settings) -> list[Route]:
    from civia.citizens import routes_admin, routes_agent, routes_public

    return [
        Route(routes_admin.router),
        Route(routes_public.router, gated=False),  # citizens: no account, no charter
        Route(routes_agent.router, gated=False),
    ]


@hookimpl
def register_template_folders() -> list[Path]:
    return [TEMPLATES]


@hookimpl
def register_menu_links() -> list[MenuLink]:
    return [
        MenuLink(
            "Assistant public",
            "/admin/assistant-citoyen",
            roles=roles.BUILDERS,
            order=210,
        ),
        MenuLink(
            "Qualité perçue par les citoyens",
            "/pilotage/citoyens",
            roles=roles.STEERING,
            order=215,
        ),
    ]


@hookimpl
def register_periodic_tasks(settings: Settings) -> list[PeriodicTask]:
    from civia.citizens import retention

    return [PeriodicTask("citizens-retention", PURGE_SECONDS, retention.purge_all)]


@hookimpl
def register_commands() -> list[click.Command]:
    from civia.citizens.cli import citizens

    return [citizens]


@hookimpl
def startup(settings: Settings) -> None:
    from civia.citizens import logfilter

    logfilter.install()


def _in_use(db: Session, tenant_id: int) -> dict[str, str]:
    from civia.citizens import config

    row = config.of(db, tenant_id)
    return {config.ASSISTANT_ID: PUBLIC_NAME} if row is not None and row.enabled else {}


PUBLIC_NAME = "Assistant public du site internet"


@hookimpl
def register_governance() -> list[InUse]:
    """The public assistant, while switched on, is listed under its card on the public page."""
    return [InUse("citizens", _in_use)]
