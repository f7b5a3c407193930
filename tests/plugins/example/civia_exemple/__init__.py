"""An outside Civia plugin: a provider kind (« albert », a server speaking the OpenAI API) and a
page listing the provider kinds, linked from the menu for administrators."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import MenuLink, Route
from civia.providers import registry
from civia.providers.openai_compat import OpenAICompatible
from civia.settings import Settings
from civia.web.deps import AdminUser
from civia.web.render import render

KIND = "albert"


@hookimpl
def register_provider_kinds(register: Callable[[str, Any], None]) -> None:
    register(KIND, OpenAICompatible)  # same wire protocol, its own name in the admin's list


@hookimpl
def register_routes(settings: Settings) -> list[Route]:
    router = APIRouter()

    @router.get("/exemple/fournisseurs")
    def kinds(request: Request, user: AdminUser) -> HTMLResponse:
        return render(request, "exemple/fournisseurs.html", kinds=sorted(registry.provider_kinds()))

    return [Route(router)]


@hookimpl
def register_template_folders() -> list[Path]:
    return [Path(__file__).parent / "templates"]


@hookimpl
def register_menu_links() -> list[MenuLink]:
    return [MenuLink("Types de fournisseurs", "/exemple/fournisseurs", roles=frozenset({"admin"}))]
