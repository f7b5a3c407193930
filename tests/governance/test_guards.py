"""The check the assistant runners call: suspended or training-only assistants are refused,
the refusal audited; including through the OpenAI-compatible API once wired as documented."""

from __future__ import annotations

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts import api_tokens
from civia.audit.models import AuditEntry
from civia.db.engine import session_scope
from civia.governance import acculturation, usecases
from civia.governance.guards import SUSPENDED, TRAINING, AssistantBlocked, check_assistant
from civia.web.deps import ApiUser, Db
from civia.web.errors import ApiError
from tests.conftest import Personas
from tests.governance.conftest import session, user
from tests.governance.test_usecases import full_card


def test_suspended_and_training_gates(db: Session, people: Personas) -> None:
    agent = user(db, "agent")
    check_assistant(db, user=agent, assistant_id="courrier")  # no card: allowed
    usecases.create(db, actor=user(db, "referent"), card=full_card(people, training_required=True))
    with pytest.raises(AssistantBlocked) as exc:
        check_assistant(db, user=agent, assistant_id="courrier", source="api")
    assert exc.value.reason == "training" and exc.value.message == TRAINING
    acculturation.submit(db, agent, {q.id: q.answer for q in acculturation.QUESTIONS})
    check_assistant(db, user=agent, assistant_id="courrier")
    usecases.suspend_assistant(
        db,
        tenant_id=people.tenant.id,
        actor=user(db, "comite"),
        assistant_id="courrier",
        reason="Incident",
    )
    db.commit()
    with pytest.raises(AssistantBlocked, match="suspendu par le comité"):
        check_assistant(db, user=agent, assistant_id="courrier", source="api")
    check_assistant(db, user=user(db, "carol"), assistant_id="courrier")  # other collectivité
    db.rollback()  # what the caller's error response does: the refusals were committed
    rows = db.scalars(select(AuditEntry.details).where(AuditEntry.action == "assistant.refused"))
    assert list(rows) == [
        {"reason": "training", "source": "api"},
        {"reason": "suspended", "source": "api"},
    ]


def test_suspended_assistant_refused_through_the_api(
    client: TestClient, personas: Personas
) -> None:
    """The wiring given to the API owner, on a stand-in route with the same error handling."""
    app = client.app

    @app.post("/v1/essai/{assistant_id}")  # type: ignore[attr-defined]
    def run(request: Request, db: Db, api_user: ApiUser, assistant_id: str) -> dict[str, str]:
        try:
            check_assistant(db, user=api_user, assistant_id=assistant_id, source="api")
        except AssistantBlocked as exc:
            raise ApiError(403, exc.message, "permission_error") from None
        return {"ok": assistant_id}

    with session_scope(session(client)) as db:
        token = api_tokens.create(db, user=user(db, "agent"), name="essai")[0]
        usecases.suspend_assistant(
            db,
            tenant_id=personas.tenant.id,
            actor=None,
            assistant_id="reformulation",
            reason="Biais constatés",
        )
    auth = {"Authorization": f"Bearer {token}"}
    assert client.post("/v1/essai/traduction", headers=auth).json() == {"ok": "traduction"}
    resp = client.post("/v1/essai/reformulation", headers=auth)
    assert resp.status_code == 403
    assert resp.json()["error"] == {"message": SUSPENDED, "type": "permission_error", "code": 403}
    with session_scope(session(client)) as db:
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "assistant.refused"))
        assert entry is not None and entry.actor_id == personas["agent"].id
        assert entry.target == "assistant:reformulation"
