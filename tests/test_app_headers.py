"""Security headers on every response; HSTS only when cookies are secure (served over HTTPS)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from civia.settings import Settings
from tests.conftest import build_app


@pytest.fixture
def secure_client(settings: Settings, password_hash: str) -> Iterator[TestClient]:
    client, _ = build_app(settings.model_copy(update={"cookie_secure": True}), password_hash)
    with client:
        yield client
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def test_hsts_when_cookies_are_secure(secure_client: TestClient) -> None:
    for path in ("/connexion", "/sante", "/nulle-part"):
        resp = secure_client.get(path)
        assert resp.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert resp.headers["X-Frame-Options"] == "DENY"


def test_no_hsts_over_plain_http_in_demo(client: TestClient) -> None:
    resp = client.get("/connexion")
    assert "Strict-Transport-Security" not in resp.headers
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
