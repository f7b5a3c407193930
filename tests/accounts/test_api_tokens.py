"""API tokens expire (CIVIA_API_TOKEN_DAYS, shown on the tokens page) and a new password,
set by an administrator or by the user, revokes them all."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from civia.accounts import api_tokens
from civia.accounts import manage as accounts
from civia.accounts.models import ApiToken, User
from civia.db.base import utcnow
from civia.db.engine import session_scope
from civia.documents.acts.text import date_fr
from tests.conftest import Personas, login_as, page_text


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _new_token(client: TestClient, login: str, **kwargs: int) -> str:
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        user = db.scalar(select(User).where(User.login == login))
        return api_tokens.create(db, user=user, name="t", **kwargs)[0]


def test_a_token_stops_working_when_it_expires(client: TestClient, personas: Personas) -> None:
    token = _new_token(client, "agent")
    assert client.get("/v1/models", headers=_auth(token)).status_code == 200
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        db.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    resp = client.get("/v1/models", headers=_auth(token))
    assert resp.status_code == 401 and "expiré" in resp.json()["error"]["message"]


def test_the_tokens_page_gives_the_expiry_date(client: TestClient, personas: Personas) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    settings.api_token_days = 30
    headers = login_as(client, "agent")
    page = page_text(client.post("/compte/jetons", data={"name": "courrier"}, headers=headers))
    expected = date_fr((utcnow() + timedelta(days=30)).date())
    assert "valable\n30 jours" in page and f"<td>{expected}</td>" in page
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        db.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(days=1)))
    assert "Expiré" in page_text(client.get("/compte/jetons"))


def test_a_password_reset_by_an_admin_revokes_the_tokens(
    client: TestClient, personas: Personas
) -> None:
    mine, bobs = _new_token(client, "agent"), _new_token(client, "bob")
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        agent = db.get(User, personas["agent"].id)
        accounts.set_password(db, agent, "un-nouveau-mot-de-passe", actor=None)
    assert client.get("/v1/models", headers=_auth(mine)).status_code == 401
    assert client.get("/v1/models", headers=_auth(bobs)).status_code == 200  # only the agent's
