"""What the plugins registered, for one app or one command: plain data, no module globals."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter
    from sqlalchemy.orm import Session, sessionmaker

    from civia.settings import Settings


@dataclass(frozen=True)
class Route:
    """A router and how the app mounts it.

    `gated`: every route of the router declares its policy (one of the `Annotated` users of
    `civia.web.deps`: role set, charter accepted); the app refuses to start otherwise. False for
    a router that also holds public routes (login, transparency pages, the API's own token).
    `body_limit`: (path prefix, bytes) pairs this router accepts above the default body size.
    `order`: lower first (a literal path before a parameterised one of another router).
    """

    router: APIRouter
    gated: bool = True
    body_limit: Any = None
    order: int = 100


@dataclass(frozen=True)
class MenuLink:
    label: str  # French, shown in the navigation
    href: str
    roles: frozenset[str] | None = None  # None: every logged-in user
    order: int = 100

    def visible_to(self, role: str | None) -> bool:
        return role is not None and (self.roles is None or role in self.roles)


@dataclass(frozen=True)
class Notice:
    """A fragment (`href`, a GET answering HTML or nothing) that the layout loads at the top of
    every page of a logged-in user of a collectivité (htmx, on load)."""

    href: str
    roles: frozenset[str] | None = None  # None: every logged-in user
    order: int = 100

    def visible_to(self, role: str | None) -> bool:
        return role is not None and (self.roles is None or role in self.roles)


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    every_seconds: float
    run: Callable[[sessionmaker[Session], Settings], object]


@dataclass(frozen=True)
class JobKind:
    """A kind of background job: its queue and handler (`handler(ctx: JobContext)`)."""

    name: str
    queue: str
    handler: Callable[[Any], dict[str, Any] | None]
    # Can start again from the beginning (or a checkpoint) after a crash; otherwise a job left
    # running by a dead worker is marked failed.
    resumable: bool = True
    label: str = ""  # French, shown in job lists


@dataclass(frozen=True)
class TextStore:
    """Free text kept by an area, for the erasure of a cited person (see `text_stores`):
    `finder(db, tenant_id, anchors)` yields `text_stores.Item`s, `redactor(db, tenant_id, keys,
    redact)` rewrites them and returns the count of replacements."""

    name: str
    label: str  # French, shown to the DPO
    finder: Callable[..., Iterable[Any]]
    redactor: Callable[..., int]


RETENTION_KINDS = ("audio", "documents", "transcripts", "mail")


@dataclass(frozen=True)
class Purger:
    """Retention: delete a tenant's items older than a cutoff, `run(db, tenant_id, cutoff)` →
    count. `kind`: "audio" and "documents" follow their own period, "transcripts" and "mail"
    (the shared mailbox's messages and drafts) the assistant results' one."""

    kind: str
    run: Callable[[Session, int, datetime], int]

    def __post_init__(self) -> None:
        if self.kind not in RETENTION_KINDS:
            raise ValueError(f"unknown retention kind: {self.kind}")


@dataclass(frozen=True)
class RightsSection:
    """A section of a user's data export (`export(db, user)` → JSON-able) and/or of their
    erasure (`erase(db, user)` → count of rows changed), under `name`."""

    name: str
    export: Callable[[Session, Any], Any] | None = None
    erase: Callable[[Session, Any], int] | None = None
    # What the erasure would remove, for the DPO's confirmation page: (French label, counter).
    count: tuple[str, Callable[[Session, Any], int]] | None = None


@dataclass(frozen=True)
class InUse:
    """A service that runs under a card of the register without being an Atelier assistant or
    a built-in (the public assistant): `names(db, tenant_id)` → {the card's assistant id: the
    name the public page shows}, only while it is switched on."""

    name: str
    names: Callable[[Session, int], dict[str, str]]


@dataclass
class Governance:
    """Every area's participation in governance: retention purgers, data-rights sections and
    text stores (for the erasure of a cited person)."""

    purgers: dict[str, Callable[[Session, int, datetime], int]] = field(default_factory=dict)
    exporters: dict[str, Callable[[Session, Any], Any]] = field(default_factory=dict)
    erasers: dict[str, Callable[[Session, Any], int]] = field(default_factory=dict)
    text_stores: dict[str, TextStore] = field(default_factory=dict)
    counters: dict[str, Callable[[Session, Any], int]] = field(default_factory=dict)
    in_use: dict[str, Callable[[Session, int], dict[str, str]]] = field(default_factory=dict)

    def add(self, item: Purger | RightsSection | TextStore | InUse) -> None:
        if isinstance(item, Purger):
            self.purgers[item.kind] = item.run
        elif isinstance(item, RightsSection):
            if item.export is not None:
                self.exporters[item.name] = item.export
            if item.erase is not None:
                self.erasers[item.name] = item.erase
            if item.count is not None:
                label, counter = item.count
                self.counters[label] = counter
        elif isinstance(item, TextStore):
            self.text_stores[item.name] = item
        elif isinstance(item, InUse):
            self.in_use[item.name] = item.names
        else:
            raise TypeError(f"not a governance item: {item!r}")


class GuardRefused(Exception):
    """A call guard's refusal: `message` is for the user (French), `reason` a short code
    ("suspended", "training"…). The guard has audited it already."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message, self.reason = message, reason


# `guard(db, user, assistant_id, source)` raises `GuardRefused` when the call may not happen:
# every path to a model (web, API, jobs) runs every registered guard (see chat.gateway).
CallGuard = Callable[[Any, Any, str, str], None]


@dataclass
class Registries:
    model_modules: list[ModuleType] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    template_folders: list[Path] = field(default_factory=list)
    menu_links: list[MenuLink] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    periodic_tasks: list[PeriodicTask] = field(default_factory=list)
    commands: list[click.Command] = field(default_factory=list)
    job_kinds: dict[str, JobKind] = field(default_factory=dict)
    governance: Governance = field(default_factory=Governance)
    call_guards: list[CallGuard] = field(default_factory=list)
    middleware: list[Any] = field(default_factory=list)

    def menu_for(self, role: str | None) -> list[MenuLink]:
        return [link for link in self.menu_links if link.visible_to(role)]

    def notices_for(self, role: str | None) -> list[Notice]:
        return [notice for notice in self.notices if notice.visible_to(role)]

    def resumable(self) -> set[str]:
        return {name for name, kind in self.job_kinds.items() if kind.resumable}


def flatten(answers: Iterable[Iterable[Any] | None]) -> list[Any]:
    return [item for answer in answers if answer for item in answer]
