"""Ids beyond the databases' integers answer 404 before any query, and the check costs no
request a hop to a worker thread: the app's own dependencies run on the event loop."""

from __future__ import annotations

import inspect

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Personas, login_as


def _json(client: TestClient) -> dict[str, str]:
    return login_as(client, "agent") | {"Accept": "application/json"}


NOT_FOUND = {"detail": "Cette page n'existe pas ou vous n'y avez pas accès."}


@pytest.mark.parametrize(
    "conversation",
    [
        "9223372036854775808",  # 2**63: SQLite's OverflowError without the check
        "-9223372036854775809",
        "9" * 41,  # longer than the 40 digits parsed
        "+00009223372036854775808",
    ],
)
def test_an_id_beyond_the_database_integers_is_a_404(
    client: TestClient, personas: Personas, conversation: str
) -> None:
    url = f"/conversations/{conversation}/messages"
    resp = client.post(url, data={"content": "Bonjour"}, headers=_json(client))
    assert resp.status_code == 404 and resp.json() == NOT_FOUND


def test_an_id_within_the_integers_reaches_the_route(
    client: TestClient, personas: Personas
) -> None:
    url = "/conversations/9223372036854775807/messages"  # 2**63 - 1: no such conversation
    resp = client.post(url, data={"content": "Bonjour"}, headers=_json(client))
    assert resp.status_code == 404 and resp.json() == {"detail": "Cette conversation n'existe pas."}


def test_the_apps_own_dependencies_run_on_the_event_loop(client: TestClient) -> None:
    """A sync dependency of the app runs in a worker thread for every request."""
    calls = [d.dependency for d in client.app.router.dependencies]  # type: ignore[attr-defined]
    assert calls
    for call in calls:
        assert inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call), call
