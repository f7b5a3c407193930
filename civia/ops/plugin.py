"""Operations as a plugin: the probes and `/metrics` (outside the charter gate: no login), the
request metrics middleware, and the `civia backup` / `civia restore` commands."""

from __future__ import annotations

from typing import Any

import click

from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import Route
from civia.settings import Settings


@hookimpl
def register_routes(settings: Settings) -> list[Route]:
    from civia.ops import routes

    return [Route(routes.router, gated=False, order=5)]


@hookimpl
def register_middleware(settings: Settings) -> list[Any]:
    from starlette.middleware import Middleware

    from civia.ops.middleware import HttpMetrics

    return [Middleware(HttpMetrics, access=settings.log_format == "json")]


@hookimpl
def register_commands() -> list[click.Command]:
    from civia.ops import cli

    return [cli.backup, cli.restore]
