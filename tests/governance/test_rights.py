"""Data-subject rights: a user's JSON export, the DPO's erasure (audit facts kept)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civia.accounts import api_tokens
from civia.accounts.models import User
from civia.assistants.models import AssistantRun
from civia.audit import journal as audit
from civia.audit.models import AuditEntry
from civia.chat.models import Conversation, Message
from civia.db.engine import session_scope
from civia.governance import charter, dsr, incidents
from civia.governance.models import Incident
from civia.plugins.registries import Governance
from civia.usage.models import UsageEvent
from tests.conftest import Personas, page_text
from tests.governance.conftest import session, sign_in, text_of, user
from tests.governance.test_incidents import make_conversation, make_run


def usage(db: Session, owner: User, conversation_id: int) -> None:
    db.add(
        UsageEvent(
            request_id="r1",
            tenant_id=owner.tenant_id,
            user_id=owner.id,
            provider_name="local",
            model="m",
            source="web",
            conversation_id=conversation_id,
            outcome="ok",
        )
    )


def seed(db: Session, login: str = "agent") -> User:
    owner = user(db, login)
    conv = make_conversation(db, owner)
    run = make_run(db, owner, "Brouillon d'arrêté")
    usage(db, owner, conv.id)
    api_tokens.create(db, user=owner, name="script")
    charter.accept(db, owner, version=1)
    incidents.report(
        db, reporter=owner, kind="error", run_id=run.id, description="Date inventée dans l'arrêté."
    )
    db.flush()
    return owner


@pytest.fixture
def extra_section(hooks: Governance) -> None:
    """Only this test's section, in this test's registries."""
    hooks.exporters = {"documents": lambda _db, u: [{"titre": f"Note de {u.login}"}]}
    hooks.erasers = {"documents": lambda _db, _u: 4}


def test_export_contains_everything(
    db: Session, people: Personas, extra_section: None, hooks: Governance
) -> None:
    owner = seed(db)
    seed(db, "bob")
    db.commit()
    data = dsr.export_user(db, owner, hooks=hooks)
    assert data["compte"]["identifiant"] == "agent" and data["compte"]["service"] == "Population"
    assert [m["contenu"] for m in data["conversations"][0]["messages"]] == [
        "Question",
        "Réponse orientée.",
    ]
    assert data["resultats_assistants"][0]["draft"] == "Brouillon d'arrêté"
    assert data["jetons_api"][0]["name"] == "script" and "token_hash" not in data["jetons_api"][0]
    assert data["charte"][0]["version"] == 1
    assert data["signalements"][0]["description"] == "Date inventée dans l'arrêté."
    assert len(data["utilisation"]) == 1 and len(data["conversations"]) == 1  # not Bob's
    assert {e["action"] for e in data["journal_audit"]} == {"charter.accepted", "incident.reported"}
    assert data["documents"] == [{"titre": "Note de agent"}]
    json.dumps(data)  # JSON-ready


def test_erase_everywhere_but_the_audit(
    db: Session, people: Personas, extra_section: None, hooks: Governance
) -> None:
    owner, dpo = seed(db), user(db, "dpo")
    seed(db, "bob")
    db.commit()
    before = db.scalar(select(func.count(AuditEntry.id)))
    counts = dsr.erase_user(db, dpo=dpo, person=owner, hooks=hooks)
    db.commit()
    assert counts["conversations"] == 1 and counts["runs"] == 1 and counts["documents"] == 4
    assert counts["usage_events"] == 1 and counts["incidents"] == 1
    assert (
        db.scalar(select(func.count(Conversation.id)).where(Conversation.user_id == owner.id)) == 0
    )
    assert db.scalar(select(func.count(Message.id))) == 2  # Bob's conversation only
    assert db.scalar(select(func.count(AssistantRun.id))) == 1
    event = db.scalar(select(UsageEvent).where(UsageEvent.user_id.is_(None)))
    assert event is not None and event.conversation_id is None  # counted, not attributed
    report = db.scalar(select(Incident).where(Incident.reporter_id.is_(None)))
    assert report is not None  # the comité keeps the report, not who made it
    db.refresh(owner)
    assert owner.login == f"efface-{owner.id}" and owner.display_name == dsr.ERASED_NAME
    assert not owner.active and owner.email == "" and owner.service_id is None
    # The audit facts stay, with one more: the erasure.
    assert db.scalar(select(func.count(AuditEntry.id))) == before + 1
    # …pseudonymous: no entry holds the login, shown as the erased account's pseudonym.
    old = list(db.scalars(select(AuditEntry).where(AuditEntry.actor_id == owner.id)))
    assert old and {e.actor_login for e in old} == {""}
    assert {audit.shown_login(e, audit.logins(db, old)) for e in old} == {f"efface-{owner.id}"}
    assert audit.verify(db) == []
    with pytest.raises(dsr.RightsError, match="déjà été effacées"):
        dsr.erase_user(db, dpo=dpo, person=owner, hooks=hooks)
    with pytest.raises(dsr.RightsError, match="propre compte"):
        dsr.erase_user(db, dpo=dpo, person=dpo, hooks=hooks)
    with pytest.raises(dsr.RightsError, match="introuvable"):
        dsr.erase_user(db, dpo=dpo, person=user(db, "carol"), hooks=hooks)


def test_my_data_pages(client: TestClient, personas: Personas) -> None:
    with session_scope(session(client)) as db:
        seed(db)
    sign_in(client, "agent")
    page = text_of(client.get("/compte/mes-donnees"))
    assert "Conversations 1" in page and "Résultats d'assistants 1" in page
    resp = client.get("/compte/mes-donnees.json")
    assert resp.status_code == 200
    assert "mes-donnees-civia-agent.json" in resp.headers["content-disposition"]
    assert resp.json()["compte"]["identifiant"] == "agent"
    with session_scope(session(client)) as db:
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "dsr.export"))
        assert entry is not None and entry.actor_id == personas["agent"].id


def test_dpo_erases_with_confirmation(client: TestClient, personas: Personas) -> None:
    with session_scope(session(client)) as db:
        agent_id = seed(db).id
    headers = sign_in(client, "dpo")
    page = text_of(client.get("/gouvernance/droits", params={"login": "agent"}))
    assert "Agent (agent)" in page and "Conversations 1" in page
    # Documents and meetings are erased too: the counts say so before the DPO confirms.
    assert "Documents personnels 0" in page and "Réunions 0" in page
    assert "Aucun compte « carol »" in text_of(client.get("/gouvernance/droits?login=carol"))
    path = f"/gouvernance/droits/{agent_id}/effacer"
    resp = client.post(path, data={"confirmation": "bob"}, headers=headers)
    assert resp.status_code == 422 and "Confirmation incorrecte" in page_text(resp)
    resp = client.post(
        path, data={"confirmation": "agent"}, headers=headers, follow_redirects=False
    )
    assert resp.status_code == 303
    assert "compte anonymisé" in text_of(client.get(resp.headers["location"]))
    with session_scope(session(client)) as db:
        erased = db.get(User, agent_id)
        assert erased is not None and erased.login.startswith("efface-")
    # The erased account's session is gone: it is logged out.
    carol_id = personas["carol"].id
    resp = client.post(
        f"/gouvernance/droits/{carol_id}/effacer", headers=headers, data={"confirmation": "carol"}
    )
    assert resp.status_code == 404  # another collectivité's user
    sign_in(client, "admin")
    assert client.get("/gouvernance/droits").status_code == 403
