"""The shared catalogue as a plugin: its table, pages, templates and menu link."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from civia.accounts import roles
from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import MenuLink, Route
from civia.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.catalogue import models

    return [models]


@hookimpl
def register_routes(settings: Settings) -> list[Route]:
    from civia.catalogue import routes

    return [Route(routes.router)]


@hookimpl
def register_template_folders() -> list[Path]:
    return [TEMPLATES]


@hookimpl
def register_menu_links() -> list[MenuLink]:
    return [MenuLink("Catalogue partagé", "/catalogue", roles=roles.POOLERS)]
