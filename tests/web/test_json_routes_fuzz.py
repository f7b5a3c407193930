"""Schemathesis against the web app's JSON routes (sending a message, regenerating, stopping an
answer, polling a job, uploading a recording, saving a transcript), from the same OpenAPI schema
as the `/v1` API, as a logged-in agent with a session cookie and the CSRF header, like the
pages' scripts. Generated requests (valid and invalid) never give a 5xx, and every answer
matches the schema (status codes, content types, bodies). Half of the generated cases name the
agent's own seeded objects, so the requests reach the routes' code instead of stopping at 404.

The local model is disabled: these routes only queue an answer (the model is called by the
stream route, not fuzzed here) and no worker runs in this app."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from civia.chat.models import Conversation, Message
from civia.db.engine import session_scope
from civia.jobs.models import Job
from civia.meetings.models import Meeting, MeetingSegment, MeetingStatus
from civia.settings import Settings
from civia.web.deps import SESSION_COOKIE
from civia.web.json_schema import JSON_TAG
from tests.conftest import PASSWORD, build_app, login

pytestmark = pytest.mark.filterwarnings("ignore")

JSON_ROUTES = {
    "POST /conversations",
    "POST /conversations/{conversation_id}/messages",
    "POST /conversations/{conversation_id}/regenerer",
    "POST /conversations/{conversation_id}/reponses/{message_id}/arret",
    "GET /travaux/{job_id}",
    "POST /reunions",
    "POST /reunions/{meeting_id}/transcription",
    "GET /compte/mes-donnees.json",
    "GET /transparence/{slug}.json",
}
EXAMPLES = 15
# The recording's bytes are checked beyond what a schema can say (ffprobe reads them): bytes
# that are no audio get a documented 415, never a 5xx, so "schema-valid data accepted" does not
# apply to this route; every other check does.
CONTENT_CHECKED = {"POST /reunions": [schemathesis.checks.positive_data_acceptance]}


@dataclass
class Agent:
    app: FastAPI
    headers: dict[str, str]
    ids: dict[str, int | str]


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory, password_hash: str) -> Iterator[Agent]:
    folder = tmp_path_factory.mktemp("json-fuzz")
    app_settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'civia.db'}",
                            local_model_enabled=False, retention_sweep_hours=0,
                            jobs_in_process=False, max_audio_mb=1)  # fmt: skip
    client, personas = build_app(app_settings, password_hash)
    with client:
        csrf = login(client, "agent", PASSWORD)
        cookie = client.cookies.get(SESSION_COOKIE)
        user = personas["agent"]
        with session_scope(client.app.state.sessions) as db:  # type: ignore[attr-defined]
            conv = Conversation(tenant_id=user.tenant_id, user_id=user.id, title="Fuzz")
            job = Job(tenant_id=user.tenant_id, user_id=user.id, kind="ingest", queue="documents")
            meeting = Meeting(tenant_id=user.tenant_id, user_id=user.id, title="Conseil",
                              status=MeetingStatus.READY)  # fmt: skip
            db.add_all([conv, job, meeting])
            db.flush()
            question = Message(conversation_id=conv.id, role="user", content="Bonjour")
            answer = Message(conversation_id=conv.id, role="assistant", content="Bonjour.",
                             status="done")  # fmt: skip
            segments = [
                MeetingSegment(meeting_id=meeting.id, position=i, start=i * 5.0,
                               end=i * 5.0 + 5, text=f"Phrase {i}.", speaker="Maire")
                for i in range(3)
            ]  # fmt: skip
            db.add_all([question, answer, *segments])
            db.flush()
            ids = {"slug": "demoville", "conversation_id": conv.id, "message_id": answer.id, "job_id": job.id,
                   "meeting_id": meeting.id}  # fmt: skip
        headers = {
            "Cookie": f"{SESSION_COOKIE}={cookie}",
            "X-CSRF-Token": csrf,
            "Accept": "application/json",  # as civia.js and meetings.js send it
        }
        yield Agent(client.app, headers, ids)  # type: ignore[arg-type]
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def test_the_json_routes_are_in_the_schema(agent: Agent) -> None:
    resp = TestClient(agent.app).get("/openapi.json", headers=agent.headers)
    schema = resp.json()
    tagged = {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if JSON_TAG in op.get("tags", ())
    }
    assert tagged == JSON_ROUTES


def test_json_routes_hold_against_generated_requests(agent: Agent) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", agent.app, headers=agent.headers)
    schema = schema.include(tag=JSON_TAG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {f"{op.method.upper()} {op.path}" for op in operations} == JSON_ROUTES
    calls = 0
    for operation, mode in itertools.product(operations, schemathesis.GenerationMode):
        calls += _fuzz(agent, operation, mode)
    print(f"\n{len(operations)} JSON routes, {calls} generated requests")
    assert calls >= len(operations) * EXAMPLES


def _fuzz(agent: Agent, operation: Any, mode: schemathesis.GenerationMode) -> int:
    """Up to EXAMPLES generated requests on one operation in one mode; how many were sent."""
    names = set(re.findall(r"{(\w+)}", operation.path))
    if (
        mode is schemathesis.GenerationMode.NEGATIVE
        and not names
        and operation.method.upper() == "GET"
    ):
        return 0
    excluded = CONTENT_CHECKED.get(f"{operation.method.upper()} {operation.path}", [])
    sent = 0

    @given(case=operation.as_strategy(generation_mode=mode), own=st.booleans())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case, own: bool) -> None:
        nonlocal sent
        if own and case.path_parameters:  # the agent's own objects: deeper into the route
            for name in names & agent.ids.keys():
                case.path_parameters[name] = agent.ids[name]
        case.call_and_validate(headers=agent.headers, excluded_checks=excluded)
        sent += 1

    try:
        check()
    except Unsatisfiable:  # nothing to get wrong (a free-text path parameter, no body)
        assert mode is schemathesis.GenerationMode.NEGATIVE
    return sent


# What the generated requests found, kept as plain regression tests.
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/conversations/9223372036854775808/messages"),  # SQLite: OverflowError → 500
        ("GET", "/travaux/-9223372036854775809"),
        ("GET", "/documents/99999999999999999999999"),  # a `{document_id:int}` route
    ],
)
def test_an_id_beyond_the_database_integers_is_a_404(agent: Agent, method: str, path: str) -> None:
    resp = TestClient(agent.app).request(method, path, headers=agent.headers, data={"content": "x"})
    assert resp.status_code == 404
    assert resp.json() == {"detail": "Cette page n'existe pas ou vous n'y avez pas accès."}


@pytest.mark.parametrize("version", ["²", "-1", "", "١"])  # int("²") raised: a 500
def test_a_transcript_save_without_a_valid_version_is_refused(agent: Agent, version: str) -> None:
    """A malformed version used to become -1: "²" crashed, "-1" answered 200 « déjà
    enregistrée » without saving the edit it carried."""
    url = f"/reunions/{agent.ids['meeting_id']}/transcription"
    segment = f"t-{_first_segment(agent)}"
    form = {"version": version, segment: "Texte corrigé."}
    resp = TestClient(agent.app).post(url, data=form, headers=agent.headers)
    assert resp.status_code == 422
    assert resp.json() == {"detail": "La version de la transcription manque : rechargez la page."}


def _first_segment(agent: Agent) -> int:
    from sqlalchemy import select

    with agent.app.state.sessions() as db:
        return db.scalar(
            select(MeetingSegment.id).where(MeetingSegment.meeting_id == agent.ids["meeting_id"])
        )
