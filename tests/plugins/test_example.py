"""An outside package (tests/plugins/example) found through the `civia` entry point group, as
`pip install` would register it: it adds a provider kind and an admin page with its menu link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civia.app import create_app
from civia.plugins import loader
from civia.providers import registry
from civia.settings import Settings
from tests.conftest import build_app, login

EXAMPLE = Path(__file__).parent / "example"


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The package and its distribution metadata (entry point included) on sys.path."""
    dist = tmp_path / "site" / "civia_exemple-0.1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: civia-exemple\nVersion: 0.1.0\n")
    (dist / "entry_points.txt").write_text("[civia]\nexemple = civia_exemple\n")
    monkeypatch.syspath_prepend(str(EXAMPLE))
    monkeypatch.syspath_prepend(str(dist.parent))
    registry.all_kinds.cache_clear()
    yield
    registry.all_kinds.cache_clear()


def test_an_installed_plugin_adds_a_provider_kind_and_a_page(
    installed: None, settings: Settings, password_hash: str
) -> None:
    assert "albert" in registry.provider_kinds()
    pm = loader.plugin_manager()
    assert pm.get_plugin("exemple") is not None
    build_app(settings, password_hash)  # schema and personas
    with TestClient(create_app(settings, pm)) as app:
        login(app, "admin")
        page = app.get("/exemple/fournisseurs")
        assert page.status_code == 200
        assert "<li>albert</li>" in page.text and "<li>local_llama</li>" in page.text
        assert 'href="/exemple/fournisseurs"' in page.text
    with TestClient(create_app(settings, loader.plugin_manager())) as app:
        login(app, "agent")
        assert app.get("/exemple/fournisseurs").status_code == 403
        assert 'href="/exemple/fournisseurs"' not in app.get("/").text


def test_without_the_package_neither_exists(settings: Settings, password_hash: str) -> None:
    registry.all_kinds.cache_clear()
    assert "albert" not in registry.provider_kinds()
    client, _ = build_app(settings, password_hash)
    with client:
        login(client, "admin")
        assert client.get("/exemple/fournisseurs").status_code == 404
