"""Shared services as a plugin: SSO tables, templates and commands (the operator's pages are
registered with the other web routes, in `civia.web.plugin`; quotas live in `civia.usage`)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

from civia.accounts import roles
from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import MenuLink

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.tenants import models

    return [models]


@hookimpl
def register_template_folders() -> list[Path]:
    return [TEMPLATES]


@hookimpl
def register_menu_links() -> list[MenuLink]:
    return [
        MenuLink("Quotas", "/admin/quotas", roles=roles.ADMINS),
        MenuLink("Identité", "/admin/identite", roles=roles.ADMINS),
        MenuLink("Mutualisation", "/admin/mutualisation", roles=roles.ADMINS),
    ]


@hookimpl
def register_commands() -> list[Any]:
    from civia.tenants.cli import platform_group
    from civia.tenants.cli_quotas import quotas_group
    from civia.tenants.cli_sso import sso_group

    return [platform_group, sso_group, quotas_group]
