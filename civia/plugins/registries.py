"""What the plugins registered, for one app or one command: plain data, no module globals."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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

    `gated`: behind the charter gate (logged-in users who accepted the charter).
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
class PeriodicTask:
    name: str
    every_seconds: float
    run: Callable[[sessionmaker[Session], Settings], object]


@dataclass
class Registries:
    model_modules: list[ModuleType] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    template_folders: list[Path] = field(default_factory=list)
    menu_links: list[MenuLink] = field(default_factory=list)
    periodic_tasks: list[PeriodicTask] = field(default_factory=list)
    commands: list[click.Command] = field(default_factory=list)

    def menu_for(self, role: str | None) -> list[MenuLink]:
        return [link for link in self.menu_links if link.visible_to(role)]


def flatten(answers: Iterable[Iterable[Any] | None]) -> list[Any]:
    return [item for answer in answers if answer for item in answer]
