"""JSON logs: one object per line with the request id, carried from the proxy's X-Request-ID to
the access line, to the job the request queued and to the worker that ran it; and, after a
session of a real app (a failed and a good login, a search, a message with personal data, an API
call, an admin action), no password, typed login, message, search, cookie, CSRF or API token in
any line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civia.accounts import api_tokens
from civia.documents.models import Collection, Scope
from civia.jobs.models import Job
from civia.jobs.worker import Worker
from civia.settings import Settings
from civia.telemetry import logs
from civia.web.deps import SESSION_COOKIE
from tests.conftest import PASSWORD, Personas, build_app, login

PROXY_ID = "nginx-4f1c2b9a7d3e"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Every log record of the process as `civia serve --log-format json` writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    # The test's own HTTP client logs the URLs it requests: not a line of the server.
    handler.addFilter(lambda record: not record.name.startswith("httpx"))
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def app(tmp_path: Path, password_hash: str) -> Iterator[tuple[TestClient, Personas]]:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'civia.db'}",
                        retention_sweep_hours=0, jobs_in_process=False, log_format="json",
                        local_model_enabled=False)  # fmt: skip
    client, personas = build_app(settings, password_hash)
    with client:
        yield client, personas
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_no_personal_data_nor_secret_in_the_logs(
    app: tuple[TestClient, Personas], captured: io.StringIO
) -> None:
    client, personas = app
    typed_login, wrong_password = "jeanne.dupont-privee", "Mot-de-passe-tres-secret-42"
    page = client.get("/connexion")
    import re

    form_csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert form_csrf
    failed = client.post(
        "/connexion",
        data={"login": typed_login, "password": wrong_password, "csrf_token": form_csrf.group(1)},
    )
    assert failed.status_code == 401
    csrf = login(client, "agent", PASSWORD)
    headers = {"X-CSRF-Token": csrf}
    client.get("/documents", params={"q": "Recherche-Confidentielle-Durand"})
    message = "Madame Lucie Marchetti, 06 12 34 56 78, demande un rendez-vous"
    sent = client.post("/conversations", data={"content": message}, headers=headers)
    assert sent.status_code == 200
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        secret, _ = api_tokens.create(db, user=personas["agent"], name="outil")
        db.commit()
    api = TestClient(client.app).get("/v1/models", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    text = captured.getvalue()
    lines = _lines(captured)
    assert any(line["logger"] == "civia.access" for line in lines)
    forbidden = {
        "typed login": typed_login,
        "password": wrong_password,
        "persona password": PASSWORD,
        "search": "Recherche-Confidentielle-Durand",
        "name in a message": "Marchetti",
        "phone in a message": "06 12 34 56 78",
        "API token": secret,
        "session cookie": str(client.cookies.get(SESSION_COOKIE)),
        "CSRF token": csrf,
    }
    leaked = [what for what, value in forbidden.items() if value and value in text]
    assert leaked == [], f"found in the logs: {leaked}"
    access = [line for line in lines if line["logger"] == "civia.access"]
    assert {"method", "route", "status", "duration_ms", "request_id"} <= access[0].keys()
    # No client address in access lines (failed logins keep theirs, for security).
    assert all("testclient" not in json.dumps(line) for line in access)


def test_the_request_id_follows_the_request_into_its_job(
    app: tuple[TestClient, Personas], captured: io.StringIO
) -> None:
    client, personas = app
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        collection = Collection(tenant_id=personas.tenant.id, scope=Scope.TENANT.value,
                                name="Délibérations")  # fmt: skip
        db.add(collection)
        db.commit()
        collection_id = collection.id
    headers = {"X-CSRF-Token": login(client, "admin", PASSWORD), "X-Request-ID": PROXY_ID}
    resp = client.post(
        f"/admin/index/{collection_id}/reindexer", headers=headers, follow_redirects=False
    )
    assert resp.status_code == 303 and resp.headers["X-Request-ID"] == PROXY_ID
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        job = db.query(Job).one()
        assert job.payload["_request_id"] == PROXY_ID
        queue_name = job.queue
    app_state = client.app.state  # type: ignore[attr-defined]
    worker = Worker(app_state.sessions, app_state.settings, {}, registries=app_state.registries)
    assert worker.run_once(queue_name)
    lines = _lines(captured)
    access = [line for line in lines if line["logger"] == "civia.access" and line["status"] == 303]
    assert access[-1]["request_id"] == PROXY_ID
    assert access[-1]["route"] == "/admin/index/{collection_id}/reindexer"
    ran = [line for line in lines if line["logger"] == "civia.jobs"]
    assert ran and all(line["request_id"] == PROXY_ID for line in ran), ran
    # A malformed id from a client is replaced, never copied.
    odd = client.get("/healthz", headers={"X-Request-ID": "x\n{evil}"})
    assert odd.headers["X-Request-ID"] != "x\n{evil}" and len(odd.headers["X-Request-ID"]) == 16


def test_configure_writes_json_lines_with_the_request_id() -> None:
    from civia.telemetry import context

    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    try:
        handler = logs.configure("json")
        stream = io.StringIO()
        handler.setStream(stream)  # type: ignore[attr-defined]
        token = context.request_id.set("abc123def456")
        try:
            logging.getLogger("civia.test").warning("document %s analysé", 12, extra={"pages": 3})
        finally:
            context.request_id.reset(token)
        line = json.loads(stream.getvalue())
        assert line["message"] == "document 12 analysé" and line["level"] == "warning"
        assert line["request_id"] == "abc123def456" and line["pages"] == 3
    finally:
        for handler_ in list(root.handlers):
            root.removeHandler(handler_)
        for handler_ in saved:
            root.addHandler(handler_)
        root.setLevel(level)
