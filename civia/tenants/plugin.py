"""Shared services as a plugin: the operator's pages and commands, SSO, quotas."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import MenuLink, Route
from civia.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.tenants import models

    return [models]


@hookimpl
def register_routes(settings: Settings) -> list[Route]:
    from civia.tenants.routes import platform, quotas_admin, sso, sso_admin

    # Not behind the charter gate: operators belong to no collectivité and sign no charter;
    # single sign-on happens before any session.
    return [
        Route(platform.router, gated=False),
        Route(sso_admin.router, gated=False),
        Route(sso.router, gated=False),
        Route(quotas_admin.router),
    ]


@hookimpl
def register_template_folders() -> list[Path]:
    return [TEMPLATES]


@hookimpl
def register_menu_links() -> list[MenuLink]:
    return [MenuLink("Quotas", "/admin/quotas", roles=frozenset({"admin"}))]


@hookimpl
def register_commands() -> list[Any]:
    from civia.tenants.cli import platform_group
    from civia.tenants.cli_quotas import quotas_group
    from civia.tenants.cli_sso import sso_group

    return [platform_group, sso_group, quotas_group]
