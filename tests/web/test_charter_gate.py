"""The AI charter must be accepted before any use of Civia, in the UI and through the API."""

from fastapi.testclient import TestClient
from sqlalchemy import delete

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.governance.models import CharterAcceptance
from tests.conftest import Personas, login_as


def test_user_who_has_not_accepted_is_sent_to_the_charter(
    client: TestClient, personas: Personas
) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        db.execute(delete(CharterAcceptance).where(CharterAcceptance.user_id == personas["bob"].id))
        token, _ = api_tokens.create(db, user=db.get(User, personas["bob"].id), name="t")
        db.commit()
    resp = client.get("/v1/models", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 403 and "charte" in resp.json()["error"]["message"]
    page = client.get("/connexion")
    assert page.status_code == 200
    headers = login_as_without_home(client)
    for path in ("/", "/conversations/nouvelle", "/assistants/courrier", "/compte/jetons"):
        resp = client.get(path, follow_redirects=False)
        assert resp.status_code == 303 and resp.headers["location"].startswith("/charte"), path
    assert client.get("/sante").status_code == 200
    charter_page = client.get("/charte")
    assert "J'accepte la charte" in charter_page.text.replace("&#39;", "'")
    assert headers


def login_as_without_home(client: TestClient) -> dict[str, str]:
    import re

    page = client.get("/connexion")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    client.post(
        "/connexion",
        data={"login": "bob", "password": "persona-password-1", "csrf_token": token.group(1)},
    )
    return {"ok": "1"}


def test_accepted_users_go_straight_in(client: TestClient, personas: Personas) -> None:
    login_as(client, "agent")
    assert client.get("/", follow_redirects=False).status_code == 200
