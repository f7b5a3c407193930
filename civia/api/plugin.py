"""The OpenAI-compatible API as a plugin (its routes authenticate API tokens themselves).

The route module is imported when `register_routes` is called, not at plugin import."""

from __future__ import annotations

from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import Route
from civia.settings import Settings


@hookimpl
def register_routes(settings: Settings) -> list[Route]:
    from civia.api import media, openai, schema

    return [
        Route(openai.router, body_limit=openai.LIMIT, order=50),  # policy `ApiUser`
        Route(media.router, body_limit=media.AUDIO_LIMIT, order=50),  # policy `ApiUser`
        # The OpenAPI schema, behind a token or a session (policy `UserOrApi`).
        Route(schema.router, order=50),
    ]
