"""The courrier's settings page (admins) as a plugin of the app."""

from __future__ import annotations

from pathlib import Path

from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import MenuLink, Route
from civia.settings import Settings


@hookimpl
def register_routes(settings: Settings) -> list[Route]:
    from civia.assistants.letters.settings import router

    return [Route(router)]


@hookimpl
def register_template_folders() -> list[Path]:
    return [Path(__file__).parent / "templates"]


@hookimpl
def register_menu_links() -> list[MenuLink]:
    return [MenuLink("Formules des courriers", "/admin/courriers", roles=frozenset({"admin"}))]
