"""Job kinds: an area marks its handlers with `@register(...)` in its `jobs.py` and returns them
from its plugin's `register_job_kinds` hook (`kinds_in(module)`); each app or worker keeps the
kinds of its own plugins in its registries."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from civia.plugins.registries import JobKind

if TYPE_CHECKING:
    from civia.jobs.worker import JobContext

__all__ = ["JobKind", "kinds_in", "register"]

Handler = Callable[["JobContext"], dict[str, Any] | None]
_ATTRIBUTE = "civia_job_kind"


def register(
    name: str, *, queue: str, resumable: bool = True, label: str = ""
) -> Callable[[Handler], Handler]:
    """Mark `handler` as the handler of the kind `name` (nothing is registered globally)."""

    def decorator(handler: Handler) -> Handler:
        setattr(handler, _ATTRIBUTE, JobKind(name, queue, handler, resumable, label or name))
        return handler

    return decorator


def kinds_in(*modules: ModuleType) -> list[JobKind]:
    """The kinds whose handlers `modules` define with `@register`."""
    found = []
    for module in modules:
        for value in vars(module).values():
            kind = getattr(value, _ATTRIBUTE, None)
            if isinstance(kind, JobKind) and kind not in found:
                found.append(kind)
    return found
