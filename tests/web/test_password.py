"""Users change their own password: current one required, French messages, audited; the other
sessions and the API tokens end, the current session stays."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.audit.models import AuditEntry
from civia.db.engine import session_scope
from tests.conftest import PASSWORD, Personas, login, login_as, page_text

NEW = "un-tout-nouveau-secret"


def _change(client: TestClient, headers: dict[str, str], current: str, new: str, again: str):
    data = {"current": current, "new": new, "confirmation": again}
    return client.post("/compte/mot-de-passe", data=data, headers=headers)


def test_the_form_is_labelled_and_linked(client: TestClient, personas: Personas) -> None:
    login(client, "agent")
    page = BeautifulSoup(client.get("/compte/mot-de-passe").text, "html.parser")
    for field in ("current", "new", "confirmation"):
        assert page.find("label", attrs={"for": field}) and page.find("input", id=field)
    assert page.find("a", href="/compte/mot-de-passe")  # in the menu


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        ("pas-le-bon-mot", NEW, NEW, "Le mot de passe actuel est incorrect."),
        (PASSWORD, NEW, NEW + "x", "Les deux saisies du nouveau mot de passe sont différentes."),
        (PASSWORD, "court", "court", "au moins 10 caractères"),
        (PASSWORD, PASSWORD, PASSWORD, "doit être différent de l'actuel"),
    ],
)
def test_refusals_in_french_and_nothing_changed(
    client: TestClient, personas: Personas, current: str, new: str, again: str, message: str
) -> None:
    headers = login_as(client, "agent")
    resp = _change(client, headers, current, new, again)
    assert resp.status_code == 422 and message in page_text(resp)
    assert 'aria-invalid="true"' in resp.text
    fresh = TestClient(client.app)
    login(fresh, "agent")  # the old password still works


def test_a_change_ends_other_sessions_and_tokens_and_is_audited(
    client: TestClient, personas: Personas
) -> None:
    other_device = TestClient(client.app)
    login(other_device, "agent")
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        token = api_tokens.create(db, user=db.get(User, personas["agent"].id), name="t")[0]
    headers = login_as(client, "agent")
    resp = _change(client, headers, PASSWORD, NEW, NEW)
    assert resp.status_code == 200
    assert "Votre mot de passe a été changé" in page_text(resp)
    assert "votre jeton d'API révoqué" in page_text(resp)
    assert client.get("/", follow_redirects=False).status_code == 200  # this session stays
    assert other_device.get("/", follow_redirects=False).status_code == 303
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/models", headers=auth).status_code == 401
    login(TestClient(client.app), "agent", NEW)
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "user.password_changed"))
        assert entry is not None and entry.actor_id == personas["agent"].id  # pseudonymous
        assert entry.details == {"tokens_revoked": 1}
        assert NEW not in str(entry.details) and PASSWORD not in str(entry.details)


def test_guessing_the_current_password_is_throttled(client: TestClient, personas: Personas) -> None:
    headers = login_as(client, "agent")
    for _ in range(5):
        assert _change(client, headers, "mauvais-essai", NEW, NEW).status_code == 422
    resp = _change(client, headers, PASSWORD, NEW, NEW)
    assert resp.status_code == 429 and "Patientez une minute" in page_text(resp)


def test_needs_a_session_and_the_csrf_token(client: TestClient, personas: Personas) -> None:
    assert client.get("/compte/mot-de-passe", follow_redirects=False).status_code == 303
    login(client, "agent")
    assert _change(client, {}, PASSWORD, NEW, NEW).status_code == 403
