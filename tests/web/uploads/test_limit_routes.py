"""One body limit for every route: the default (CIVIA_MAX_BODY_MB) on the anonymous login and
any form, the API's own (a base64 file as big as the assistant form accepts), the transcript
save's; refused as the body arrives, before any parsing, in French."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.db.engine import session_scope
from civia.web.routes.meetings_forms import TRANSCRIPT_MAX_BYTES
from tests.conftest import Personas, login_as, page_text

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _pieces(total: int) -> Iterator[bytes]:
    """A chunked body (no Content-Length) of `total` bytes (the cut-off point itself is tested
    in test_limit.py: the test client sends the whole body anyway)."""
    yield b"login=admin&password="
    for _ in range(total // 100_000):
        yield b"x" * 100_000


def test_the_anonymous_login_refuses_a_big_declared_body(client: TestClient) -> None:
    resp = client.post(
        "/connexion",
        content=b"login=admin&password=x",
        headers={**FORM, "Content-Length": str(50 * 1024**2)},
    )
    assert resp.status_code == 413
    assert "taille maximale autorisée (2 Mo)" in page_text(resp)


def test_a_chunked_form_is_cut_off_at_the_default_limit(client: TestClient) -> None:
    resp = client.post("/connexion", content=_pieces(3_000_000), headers=FORM)
    assert resp.status_code == 413 and "2 Mo" in page_text(resp)


def test_the_default_limit_covers_logged_in_forms_and_follows_the_settings(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = login_as(client, "agent")
    big = {"name": "x" * 3_000_000}
    resp = client.post("/compte/jetons", data=big, headers={**headers, "HX-Request": "1"})
    assert resp.status_code == 413 and "2 Mo" in resp.json()["detail"]
    settings = client.app.state.settings  # type: ignore[attr-defined]
    monkeypatch.setattr(settings, "max_body_mb", 0.5)
    resp = client.post("/compte/jetons", data={"name": "x" * 600_000}, headers=headers)
    assert resp.status_code == 413 and "0,5 Mo" in page_text(resp)
    ok = client.post("/compte/jetons", data={"name": "logiciel"}, headers=headers)
    assert ok.status_code == 200  # small forms pass


def test_the_api_takes_a_base64_file_but_not_more(
    client: TestClient, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    monkeypatch.setattr(settings, "assistant_upload_max_mb", 1)
    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        user = db.scalar(select(User).where(User.login == "agent"))
        auth = {"Authorization": f"Bearer {api_tokens.create(db, user=user, name='t')[0]}"}
    # 1 MB in base64 (1.33 MB) plus the messages: past the 2 MB default, within the API's own.
    part = {"type": "file", "file": {"filename": "a.txt", "file_data": "QUJD" * 333_000}}
    body = {"model": "assistant:inconnu", "messages": [{"role": "user", "content": [part]}]}
    resp = client.post("/v1/chat/completions", json=body, headers=auth)
    assert resp.status_code == 404  # parsed, then refused for the unknown assistant
    part["file"]["file_data"] = "QUJD" * 1_000_000  # a 3 MB file: 4 MB of base64
    resp = client.post("/v1/chat/completions", json=body, headers=auth)
    assert resp.status_code == 413 and "1 Mo par fichier" in resp.json()["error"]["message"]


def test_the_transcript_save_is_bounded(client: TestClient) -> None:
    headers = login_as(client, "agent")
    resp = client.post(
        "/reunions/1/transcription",
        content=b"csrf_token=x",
        headers={**headers, **FORM, "Content-Length": str(TRANSCRIPT_MAX_BYTES + 1)},
    )
    assert resp.status_code == 413 and "rien n'a été enregistré" in page_text(resp)
