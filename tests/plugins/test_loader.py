"""The plugin loader: what a plugin registers reaches one app only."""

from __future__ import annotations

from pathlib import Path

import pluggy
from fastapi import APIRouter, Request
from fastapi.testclient import TestClient

from civia.app import create_app
from civia.plugins.hookspecs import hookimpl
from civia.plugins.loader import plugin_manager
from civia.plugins.registries import MenuLink, Route
from civia.settings import Settings
from civia.web.deps import CurrentUser
from civia.web.render import render
from tests.conftest import build_app, login


class Greeter:
    """A plugin defined in the test: one page (its policy: any user who accepted the charter),
    its template folder, an admin menu link."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @hookimpl
    def register_routes(self, settings: Settings) -> list[Route]:
        router = APIRouter()

        @router.get("/bonjour")
        def hello(request: Request, user: CurrentUser):  # type: ignore[no-untyped-def]
            return render(request, "bonjour.html")

        return [Route(router)]

    @hookimpl
    def register_template_folders(self) -> list[Path]:
        return [self.folder]

    @hookimpl
    def register_menu_links(self) -> list[MenuLink]:
        return [MenuLink("Salutations", "/bonjour", roles=frozenset({"admin"}))]


def _with(plugin: object) -> pluggy.PluginManager:
    pm = plugin_manager()
    pm.register(plugin)
    return pm


def test_a_plugin_brings_a_page_a_template_and_a_menu_link(
    settings: Settings, password_hash: str, tmp_path: Path
) -> None:
    folder = tmp_path / "gabarits"
    folder.mkdir()
    (folder / "bonjour.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>Bonjour du greffon</p>{% endblock %}'
    )
    client, _ = build_app(settings, password_hash)  # creates the schema and personas
    with TestClient(create_app(settings, _with(Greeter(folder)))) as app:
        login(app, "admin")
        page = app.get("/bonjour")
        assert page.status_code == 200 and "Bonjour du greffon" in page.text
        assert 'href="/bonjour"' in page.text
    with TestClient(create_app(settings, _with(Greeter(folder)))) as app:
        login(app, "agent")
        page = app.get("/bonjour")
        assert page.status_code == 200 and 'href="/bonjour"' not in page.text  # admin-only link
    with client:  # an app built without the plugin does not know the page
        login(client, "admin")
        assert client.get("/bonjour").status_code == 404
