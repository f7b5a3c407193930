# mypy: disable-error-code="empty-body"
"""The hooks an area (or a third-party package) implements. Each returns plain data; the loader
collects the answers of every plugin into one `Registries` per app."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click

    from civia.plugins.registries import (
        CallGuard,
        InUse,
        JobKind,
        MenuLink,
        Notice,
        PeriodicTask,
        Purger,
        RightsSection,
        Route,
        TextStore,
    )
    from civia.settings import Settings

hookspec = pluggy.HookspecMarker("civia")
hookimpl = pluggy.HookimplMarker("civia")


@hookspec
def register_models() -> Iterable[ModuleType]:
    """Modules declaring SQLAlchemy models on `civia.db.base.Base` (imported for metadata)."""


@hookspec
def register_routes(settings: Settings) -> Iterable[Route]:
    """The web and API routers of the area, with their gate and body limit."""


@hookspec
def register_template_folders() -> Iterable[Any]:
    """Folders (`pathlib.Path`) holding the area's Jinja templates."""


@hookspec
def register_menu_links() -> Iterable[MenuLink]:
    """Entries of the main navigation, each with the roles that see it."""


@hookspec
def register_notices() -> Iterable[Notice]:
    """Fragments loaded at the top of every page (a prompt, a reminder), each with the roles that
    get it; the fragment answers empty when it has nothing to say."""


@hookspec
def register_periodic_tasks(settings: Settings) -> Iterable[PeriodicTask]:
    """Work run on a schedule by the worker (retention sweep, roll-ups, fetching a mailbox)."""


@hookspec
def register_commands() -> Iterable[click.Command]:
    """Commands (or groups) added to the `civia` command line."""


@hookspec
def register_job_kinds() -> Iterable[JobKind]:
    """Kinds of background jobs the area runs (its handlers and queues)."""


@hookspec
def register_governance(
    settings: Settings,
) -> Iterable[Purger | RightsSection | TextStore | InUse]:
    """The area's retention purgers, sections of a person's data export and erasure, and text
    stores walked by the erasure of a cited person, and services it runs under a card of the
    register (listed on the public page while switched on)."""


@hookspec
def register_call_guards() -> Iterable[CallGuard]:
    """Checks run before every model call (the comité's kill switch, quotas…)."""


@hookspec
def register_provider_kinds(register: Callable[..., None]) -> None:
    """Call `register(kind, factory, capability=..., label=..., in_process=...)` once per kind of
    provider: `capability` is "chat" (the factory returns a ChatModel), "embeddings" (an
    Embedder) or "transcription" (a Transcriber); `factory(config, settings)` builds it from a
    provider row (see `civia.providers.registry`)."""


@hookspec
def register_middleware(settings: Settings) -> Iterable[Any]:
    """ASGI middleware wrapping the whole app (`starlette.middleware.Middleware`), outside the
    body-size and rate limits (e.g. request metrics)."""


@hookspec
def startup(settings: Settings) -> None:
    """Called once when an app or a worker starts (sweep leftovers, register governance hooks)."""
