"""The planning area as a plugin: diagnostic, survey and portfolio pages, models, menu link."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from civia.accounts import roles
from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import JobKind, MenuLink, RightsSection, Route
from civia.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_models() -> list[ModuleType]:
    from civia.planning import models

    return [models]


@hookimpl
def register_routes(settings: Settings) -> list[Route]:
    from civia.planning.routes import diagnostic, portfolio, survey_admin, survey_public

    return [
        Route(diagnostic.router),
        Route(portfolio.router),
        Route(survey_admin.router),
        Route(survey_public.router, gated=False),  # answered without an account
    ]


@hookimpl
def register_job_kinds() -> list[JobKind]:
    from civia.jobs.registry import kinds_in
    from civia.planning import jobs

    return kinds_in(jobs)


@hookimpl
def register_template_folders() -> list[Path]:
    return [TEMPLATES]


@hookimpl
def register_menu_links() -> list[MenuLink]:
    return [MenuLink("Diagnostic et plan", "/pilotage/diagnostic", roles=roles.STEERING)]


@hookimpl
def startup(settings: Settings) -> None:
    from civia.planning import logfilter

    logfilter.install()


@hookimpl
def register_governance(settings: Settings) -> list[RightsSection]:
    from civia.planning import rights

    # The user's portfolio marks in the GDPR export and erasure.
    return [RightsSection("notes_du_portefeuille", rights.export_marks, rights.erase)]
