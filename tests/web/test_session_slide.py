"""A page's sliding session expiry is committed before its route runs: on SQLite the request's
session would otherwise hold the one write lock through the route, and a write the route makes
in its own session (the acts search records its query embedding's usage) would wait for it
until the busy timeout (HTTP 503), with every other writer behind it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from civia.accounts.models import WebSession
from civia.db.engine import session_scope
from civia.usage.models import UsageEvent
from tests.conftest import Personas, login


def test_a_search_that_records_usage_after_the_expiry_slides(
    client: TestClient, personas: Personas
) -> None:
    login(client, "agent")
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    hours = client.app.state.settings.session_hours  # type: ignore[attr-defined]
    an_hour_old = datetime.now(UTC) + timedelta(hours=hours - 1)
    with session_scope(sessions) as db:  # slid an hour ago: this request slides it (a write)
        db.execute(update(WebSession).values(expires_at=an_hour_old))
    resp = client.get("/actes?q=budget")
    assert resp.status_code == 200, resp.text[:300]
    with session_scope(sessions) as db:
        slid = db.scalar(select(WebSession.expires_at))
        assert slid is not None
        assert (slid if slid.tzinfo else slid.replace(tzinfo=UTC)) > datetime.now(UTC)
        assert db.scalar(select(UsageEvent).where(UsageEvent.source != "api")) is not None
