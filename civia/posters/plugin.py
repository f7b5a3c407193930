"""Posters and visuals, registered like any plugin: the page that lays out the texts of the
« Affiche et visuel » assistant (civia/assistants/catalogue/affiche.yaml)."""

from __future__ import annotations

from pathlib import Path

from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import Route
from civia.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_routes(settings: Settings) -> list[Route]:
    from civia.posters import routes

    return [Route(routes.router)]


@hookimpl
def register_template_folders() -> list[Path]:
    return [TEMPLATES]
