"""Incidents: reports from a result or a conversation, the comité's triage, counts."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from civia.accounts.models import User
from civia.assistants.models import AssistantRun
from civia.audit.models import AuditEntry
from civia.chat.models import Conversation, Message
from civia.db.engine import session_scope
from civia.governance import incidents
from civia.governance.incidents import IncidentError
from tests.conftest import Personas, page_text
from tests.governance.conftest import session, sign_in, text_of, user


def make_run(db: Session, owner: User, text: str = "Texte généré fautif.") -> AssistantRun:
    run = AssistantRun(
        tenant_id=owner.tenant_id,
        user_id=owner.id,
        assistant_id="courrier",
        inputs={},
        status="draft",
        draft=text,
    )
    db.add(run)
    db.flush()
    return run


def make_conversation(db: Session, owner: User) -> Conversation:
    conv = Conversation(tenant_id=owner.tenant_id, user_id=owner.id, assistant_id="chat")
    db.add(conv)
    db.flush()
    db.add_all(
        [
            Message(conversation_id=conv.id, role="user", content="Question"),
            Message(conversation_id=conv.id, role="assistant", content="Réponse orientée."),
        ]
    )
    db.flush()
    return conv


def test_report_and_triage(db: Session, people: Personas) -> None:
    agent, comite, bob = user(db, "agent"), user(db, "comite"), user(db, "bob")
    run = make_run(db, agent)
    found = incidents.report(
        db,
        reporter=agent,
        kind="error",
        run_id=run.id,
        description="Le courrier cite un article de loi inexistant.",
    )
    assert found.reference == f"resultat:{run.id}" and found.assistant_id == "courrier"
    assert found.excerpt == "Texte généré fautif." and found.status == "open"
    conv = make_conversation(db, bob)
    other = incidents.report(
        db,
        reporter=bob,
        kind="neutrality",
        conversation_id=conv.id,
        description="La réponse prend parti pour un candidat.",
    )
    assert other.excerpt == "Réponse orientée."
    with pytest.raises(IncidentError) as exc:  # someone else's result
        incidents.report(db, reporter=bob, kind="error", run_id=run.id, description="x" * 20)
    assert exc.value.status == 404
    with pytest.raises(IncidentError):
        incidents.report(
            db,
            reporter=user(db, "carol"),
            kind="error",
            conversation_id=conv.id,
            description="x" * 20,
        )
    with pytest.raises(IncidentError, match="type"):
        incidents.report(db, reporter=agent, kind="panne", description="x" * 20)
    with pytest.raises(IncidentError, match="10 à 5 000"):
        incidents.report(db, reporter=agent, kind="other", description="court")

    for login in ("dpo", "admin", "agent"):
        with pytest.raises(IncidentError) as exc:
            incidents.triage(db, found, actor=user(db, login), status="investigating")
        assert exc.value.status == 403
    with pytest.raises(IncidentError) as exc:
        incidents.triage(db, found, actor=user(db, "olivia"), status="investigating")
    assert exc.value.status == 404
    incidents.triage(db, found, actor=comite, status="investigating")
    with pytest.raises(IncidentError, match="résolution"):
        incidents.triage(db, found, actor=comite, status="closed")
    incidents.triage(
        db, found, actor=comite, status="closed", resolution="Assistant corrigé ; agents prévenus."
    )
    assert found.closed_at is not None and found.handled_by == comite.id
    db.commit()
    assert incidents.counts(db, people.tenant.id) == {
        ("closed", "error"): 1,
        ("open", "neutrality"): 1,
    }
    assert incidents.counts(db, people.other_tenant.id) == {}
    assert [i.id for i in incidents.mine(db, bob)] == [other.id]
    details = db.scalars(select(AuditEntry.details).where(AuditEntry.action.like("incident.%")))
    assert [d.get("to", d.get("kind")) for d in details] == [
        "error",
        "neutrality",
        "investigating",
        "closed",
    ]


def test_report_from_a_result_in_the_browser(client: TestClient, personas: Personas) -> None:
    with session_scope(session(client)) as db:
        run_id = make_run(db, user(db, "agent"), "Les usagers étrangers n'y ont pas droit.").id
    headers = sign_in(client, "agent")
    page = page_text(client.get(f"/incidents/nouveau?resultat={run_id}"))
    assert f'name="run_id" value="{run_id}"' in page and "sera joint au signalement" in page
    resp = client.post(
        "/incidents",
        data={
            "kind": "discrimination",
            "run_id": run_id,
            "description": "Réponse discriminatoire.",
        },
        headers=headers,
        follow_redirects=False,
    )
    assert resp.status_code == 303
    page = text_of(client.get(resp.headers["location"]))
    assert "transmis au comité" in page and "Discrimination ou stéréotype Ouvert" in page
    resp = client.post("/incidents", data={"kind": "error", "description": "trop"}, headers=headers)
    assert resp.status_code == 422 and "10 à 5 000" in page_text(resp)
    # Bob cannot attach Alice's result.
    headers = sign_in(client, "bob")
    resp = client.post(
        "/incidents",
        data={"kind": "error", "run_id": run_id, "description": "x" * 20},
        headers=headers,
    )
    assert resp.status_code == 404

    headers = sign_in(client, "comite")
    page = text_of(client.get("/gouvernance/incidents"))
    assert "1 incident(s) par état et par type" in page
    assert "Discrimination ou stéréotype 1 0 0" in page
    listing = page_text(client.get("/gouvernance/incidents?statut=open&type=discrimination"))
    incident_id = int(listing.split('href="/gouvernance/incidents/')[1].split('"')[0])
    page = page_text(client.get(f"/gouvernance/incidents/{incident_id}"))
    assert "Les usagers étrangers n'y ont pas droit." in page and "Agent" in page
    path = f"/gouvernance/incidents/{incident_id}"
    resp = client.post(path, data={"status": "closed"}, headers=headers)
    assert resp.status_code == 422 and "résolution" in page_text(resp)
    resp = client.post(
        path,
        data={"status": "closed", "resolution": "Prompt corrigé."},
        headers=headers,
        follow_redirects=False,
    )
    assert resp.status_code == 303
    assert "Clos" in text_of(client.get(path))

    headers = sign_in(client, "dpo")
    assert client.get(path).status_code == 200  # the DPO reads…
    assert client.post(path, data={"status": "open"}, headers=headers).status_code == 403
    sign_in(client, "olivia")  # … another collectivité's admin does not see it
    assert client.get(path).status_code == 404
