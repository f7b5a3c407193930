"""Unknown URLs and wrong methods answer a French page in a browser, French JSON to the API."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from civia.db.engine import make_sessionmaker
from tests.conftest import login, page_text


def test_an_unknown_url_gives_a_french_page(client: TestClient) -> None:
    resp = client.get("/page-qui-n-existe-pas", headers={"accept": "text/html"})
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith("text/html")
    assert "Cette page n'existe pas" in page_text(resp)
    assert "Not Found" not in resp.text


def test_a_logged_in_user_keeps_the_navigation_on_a_missing_page(client: TestClient) -> None:
    login(client, "agent")
    resp = client.get("/static/absent.css", headers={"accept": "text/html"})
    assert resp.status_code == 404 and "Cette page n'existe pas" in page_text(resp)


def test_a_wrong_method_is_explained_in_french(client: TestClient) -> None:
    resp = client.delete("/connexion", headers={"accept": "text/html"})
    assert resp.status_code == 405 and "Méthode non autorisée" in page_text(resp)


def test_the_api_answers_json_in_french(client: TestClient) -> None:
    resp = client.get("/v1/inconnu")  # in the OpenAI error shape, as every /v1 error
    assert resp.status_code == 404
    error = resp.json()["error"]
    assert error["message"] == "Cette page n'existe pas ou vous n'y avez pas accès."


def test_the_database_out_of_reach_answers_503_in_french(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PostgreSQL restart (found by bench/bench_faults.py): the pages asked meanwhile answer
    503 with a French reason and Retry-After, not a 500 with a support reference."""
    login(client, "agent")
    with socket.socket() as probe:  # a port nothing listens on: the server is down
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = make_sessionmaker(create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/x"))
    monkeypatch.setattr(client.app.state, "sessions", down)  # type: ignore[attr-defined]
    resp = client.get("/", headers={"accept": "text/html"})
    assert resp.status_code == 503 and resp.headers["retry-after"] == "5"
    assert "base de données injoignable" in page_text(resp)
    assert "Erreur interne" not in resp.text
    api = client.get("/v1/models", headers={"Authorization": "Bearer civia-jeton-inconnu"})
    assert api.status_code == 503 and "injoignable" in api.json()["error"]["message"]


def test_a_query_the_database_refuses_is_a_crash_not_an_outage(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A missed migration (« no such table ») is an OperationalError too, but not a restart:
    a 500 with a support reference, so that nobody waits for a database that is there."""
    login(client, "agent")
    empty = make_sessionmaker(create_engine(f"sqlite:///{tmp_path / 'vide.db'}"))
    monkeypatch.setattr(client.app.state, "sessions", empty)  # type: ignore[attr-defined]
    resp = client.get("/", headers={"accept": "text/html"})
    assert resp.status_code == 500 and "Erreur interne" in page_text(resp)
    assert "retry-after" not in resp.headers


def test_a_crash_page_keeps_the_security_headers(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error is answered by Starlette's outermost middleware, past the one that
    sets the security headers: the 500 page sets them itself, request id included."""
    client = TestClient(client.app, raise_server_exceptions=False)  # as a browser sees it
    login(client, "agent")

    def broken() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(client.app.state, "sessions", broken)  # type: ignore[attr-defined]
    resp = client.get("/", headers={"accept": "text/html"})
    assert resp.status_code == 500 and "Erreur interne" in page_text(resp)
    assert resp.headers["x-frame-options"] == "DENY"
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in resp.headers["content-security-policy"]
    assert resp.headers["x-request-id"] in page_text(resp)
