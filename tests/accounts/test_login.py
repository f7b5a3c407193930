import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from civia.accounts.models import WebSession
from tests.conftest import PASSWORD, Personas, login, page_text


def _form(client: TestClient) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/connexion").text)
    assert token
    return token.group(1)


def _post(client: TestClient, user: str, password: str, csrf: str | None = None):
    return client.post(
        "/connexion",
        data={"login": user, "password": password, "csrf_token": csrf or _form(client)},
        follow_redirects=False,
    )


def test_login_page_is_french_and_labelled(client: TestClient) -> None:
    page = client.get("/connexion").text
    assert '<html lang="fr">' in page
    assert '<label for="login">Identifiant</label>' in page


def test_good_login_sets_httponly_session(client: TestClient, personas: Personas) -> None:
    resp = _post(client, "agent", PASSWORD)
    assert resp.status_code == 303
    cookie = resp.headers["set-cookie"]
    assert "civia_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Bonjour Agent" in client.get("/").text


def test_wrong_password_and_unknown_login_get_same_generic_message(
    client: TestClient, personas: Personas
) -> None:
    wrong = _post(client, "agent", "not-the-password")
    unknown = _post(client, "nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in page_text(wrong)
    assert "Identifiant ou mot de passe incorrect." in page_text(unknown)


def test_login_is_rate_limited_per_account(client: TestClient, personas: Personas) -> None:
    for _ in range(5):
        assert _post(client, "agent", "bad-password").status_code == 401
    blocked = _post(client, "agent", PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert "Trop de tentatives" in page_text(blocked)


def test_failures_elsewhere_do_not_lock_the_owner_out(
    client: TestClient, personas: Personas
) -> None:
    for _ in range(6):  # an attacker, from its address
        assert _post(client, "admin", "bad-password").status_code in (401, 429)
    assert _post(client, "admin", PASSWORD).status_code == 429
    owner = TestClient(client.app, client=("192.0.2.20", 50000))
    assert _post(owner, "admin", PASSWORD).status_code == 303  # the owner's client never failed
    for name in ("u1", "u2", "u3", "u4", "u5"):  # many accounts from one address (a NAT)
        _post(client, name, "bad-password")
    assert _post(client, "referent", PASSWORD).status_code == 303


def test_throttled_tries_are_audited_once_and_the_typed_login_never_logged(
    client: TestClient, personas: Personas, caplog: pytest.LogCaptureFixture
) -> None:
    from civia.audit.models import AuditEntry

    caplog.set_level(logging.INFO, logger="civia")
    typed = "MonMotDePasse-2026"  # typed in the login field by mistake
    for login_typed in ("agent", typed):
        for _ in range(8):
            _post(client, login_typed, "bad-password")
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        entries = db.query(AuditEntry).order_by(AuditEntry.id).all()
        throttled = [e for e in entries if e.action == "login.throttled"]
        failures = [e for e in entries if e.action == "login.failure"]
        assert len(failures) == 10 and len(throttled) == 2  # once per account, not 6 times
        assert throttled[0].target == f"user:{personas['agent'].id}" and throttled[1].target == ""
        assert all(typed.lower() not in str(e.target) + str(e.details) for e in entries)
    assert "login failed" in caplog.text and typed.lower() not in caplog.text.lower()


def test_login_without_csrf_is_refused(client: TestClient, personas: Personas) -> None:
    client.get("/connexion")
    resp = client.post(
        "/connexion", data={"login": "agent", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert resp.status_code == 403
    assert "formulaire a expiré" in page_text(resp)


def test_open_redirect_is_neutralised(client: TestClient, personas: Personas) -> None:
    resp = client.post(
        "/connexion",
        data={
            "login": "agent",
            "password": PASSWORD,
            "csrf_token": _form(client),
            "suivant": "//evil.example",
        },
        follow_redirects=False,
    )
    assert resp.headers["location"] == "/"


def test_expired_session_redirects_to_login(client: TestClient, personas: Personas) -> None:
    login(client, "agent")
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        db.execute(update(WebSession).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
        db.commit()
    resp = client.get("/", follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"].startswith("/connexion")


def test_disabled_user_cannot_log_in(client: TestClient, personas: Personas) -> None:
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        user = db.get(type(personas["agent"]), personas["agent"].id)
        user.active = False
        db.commit()
    assert _post(client, "agent", PASSWORD).status_code == 401


def test_logout_needs_csrf_and_ends_session(client: TestClient, personas: Personas) -> None:
    csrf = login(client, "agent")
    assert client.post("/deconnexion", data={"csrf_token": "forged"}).status_code == 403
    resp = client.post("/deconnexion", data={"csrf_token": csrf}, follow_redirects=False)
    assert resp.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_state_change_without_csrf_is_refused(client: TestClient, personas: Personas) -> None:
    login(client, "agent")
    resp = client.post("/conversations", data={"content": "Bonjour", "assistant": "chat"})
    assert resp.status_code == 403


def test_logins_and_role_changes_are_audited(client: TestClient, personas: Personas) -> None:
    from civia.audit import journal as audit
    from civia.audit.models import AuditEntry

    _post(client, "agent", "bad-password")
    headers = {"X-CSRF-Token": login(client, "admin")}
    client.post(
        f"/admin/utilisateurs/{personas['bob'].id}",
        data={"role": "referent", "service_id": personas.service_b.id, "active": "true"},
        headers=headers,
    )
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        actions = [e.action for e in db.query(AuditEntry).order_by(AuditEntry.id)]
        assert {"login.failure", "login.success", "user.role_changed"} <= set(actions)
        changed = db.query(AuditEntry).filter_by(action="user.role_changed").one()
        assert (
            changed.details == {"from": "agent", "to": "referent"}
            and audit.shown_login(changed, audit.logins(db, [changed])) == "admin"
        )
        assert audit.verify(db) == []
