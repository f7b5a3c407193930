"""Schemathesis against Civia's own OpenAPI schema, for the `/v1` API: generated requests
(valid and invalid) never give a 5xx, and every response matches the schema (status codes,
content types, bodies). Bounded examples so that it runs in CI in seconds.

The local model is disabled in this app: requests that pass validation stop at model
resolution (a documented 404) instead of generating text; the model path itself is covered by
tests/api/test_openai_api.py."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.settings import Settings
from tests.conftest import build_app

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, password_hash: str) -> Iterator[tuple]:
    folder = tmp_path_factory.mktemp("schemathesis")
    app_settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'civia.db'}",
                            local_model_enabled=False, retention_sweep_hours=0,
                            jobs_in_process=False,
                            api_rate_limit="1000/minute")  # fmt: skip
    client, _ = build_app(app_settings, password_hash)
    with client:
        with client.app.state.sessions() as db:  # type: ignore[attr-defined]
            agent = db.query(User).filter_by(login="agent").one()
            token, _ = api_tokens.create(db, user=agent, name="schemathesis")
            db.commit()
        yield client.app, token
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def password_hash() -> str:
    from civia.accounts.passwords import hash_password

    return hash_password("fuzz-password-123")


def test_v1_api_holds_against_generated_requests(api: tuple) -> None:
    app, token = api
    headers = {"Authorization": f"Bearer {token}"}  # the schema is behind authentication
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers=headers)
    schema = schema.include(path_regex=r"^/v1/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {f"{op.method.upper()} {op.path}" for op in operations} >= {
        "GET /v1/models",
        "POST /v1/chat/completions",
        "POST /v1/embeddings",
        "POST /v1/audio/transcriptions",
    }
    for operation, mode in itertools.product(operations, schemathesis.GenerationMode):
        if mode is schemathesis.GenerationMode.NEGATIVE and operation.method.upper() == "GET":
            continue  # no parameters to get wrong

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            # A schema cannot say "an audio recording": schema-valid random bytes are refused
            # (415), which tests/api/test_embeddings_transcriptions.py checks with recordings.
            audio = case.operation.path.startswith("/v1/audio/")
            excluded = [positive_data_acceptance] if audio else []
            case.call_and_validate(headers=headers, excluded_checks=excluded)

        check()


def test_an_unreadable_body_is_explained_in_french(api: tuple) -> None:
    app, token = api
    from fastapi.testclient import TestClient

    resp = TestClient(app).post(
        "/v1/chat/completions",
        content=b"\xff{",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert resp.status_code == 400
    assert resp.json() == {
        "detail": "Le corps de la requête est illisible (JSON en UTF-8 attendu)."
    }
