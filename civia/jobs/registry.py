"""Job kinds: each area declares its own in its `jobs.py` with `register(...)`; `load()` imports
them all, so workers and the web app know every kind (like `civia.db.registry` for models)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from civia.jobs.worker import JobContext

Handler = Callable[["JobContext"], dict[str, Any] | None]

# Modules that declare job kinds (imported by `load`).
KIND_MODULES: tuple[str, ...] = (
    "civia.assistants.jobs",
    "civia.documents.acts.jobs",
    "civia.documents.jobs",
    "civia.governance.jobs",
    "civia.meetings.jobs",
    "civia.meetings.minutes",
)


@dataclass(frozen=True)
class JobKind:
    name: str
    queue: str
    handler: Handler
    # Can start again from the beginning (or a checkpoint) after a crash; otherwise a job left
    # running by a dead worker is marked failed.
    resumable: bool = True
    label: str = ""  # French, shown in job lists


KINDS: dict[str, JobKind] = {}


def register(
    name: str, *, queue: str, resumable: bool = True, label: str = ""
) -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        KINDS[name] = JobKind(name, queue, handler, resumable, label or name)
        return handler

    return decorator


def load() -> dict[str, JobKind]:
    for module in KIND_MODULES:
        importlib.import_module(module)
    return KINDS


def get(name: str) -> JobKind | None:
    return load().get(name)


def resumable() -> set[str]:
    return {name for name, kind in load().items() if kind.resumable}
