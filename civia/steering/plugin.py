"""The pilotage area as a plugin: its models, pages, menu link, survey prompt and commands."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import click

from civia.accounts import roles
from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import MenuLink, Notice, PeriodicTask, RightsSection, Route
from civia.settings import Settings
from civia.steering import models

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_models() -> list[ModuleType]:
    return [models]


@hookimpl
def register_routes(settings: Settings) -> list[Route]:
    from civia.steering import rates_routes, review_routes, routes, survey_routes

    return [
        Route(rates_routes.router),
        Route(review_routes.router),
        Route(survey_routes.router),
        Route(survey_routes.agents),
        Route(routes.router),
    ]


@hookimpl
def register_template_folders() -> list[Path]:
    return [TEMPLATES]


@hookimpl
def register_menu_links() -> list[MenuLink]:
    return [MenuLink("Pilotage", "/pilotage", roles=roles.STEERING)]


@hookimpl
def register_notices() -> list[Notice]:
    return [Notice("/satisfaction/bandeau")]  # the satisfaction survey's prompt (survey.py)


@hookimpl
def register_periodic_tasks(settings: Settings) -> list[PeriodicTask]:
    from civia.steering import rollup

    return [PeriodicTask("steering-daily-rollup", 3600, rollup.rebuild_all)]


@hookimpl
def register_commands() -> list[click.Command]:
    from civia.steering.cli import steering

    return [steering]


@hookimpl
def register_governance(settings: Settings) -> list[RightsSection]:
    from civia.steering import survey

    return [RightsSection("enquete_de_satisfaction", survey.export_turns, survey.erase_turns)]
